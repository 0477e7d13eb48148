using SkiaSharp;

namespace Likeness.Training.Faces;

/// <summary>An RGBA8888 image in memory, row-major, top row first.</summary>
public sealed record RgbaImage(byte[] Pixels, int Width, int Height)
{
    public static RgbaImage Decode(byte[] encoded)
    {
        using var decoded = SKBitmap.Decode(encoded) ?? throw new InvalidDataException("Not a decodable image.");
        using var bitmap = decoded.Copy(SKColorType.Rgba8888);
        return new RgbaImage(bitmap.GetPixelSpan().ToArray(), bitmap.Width, bitmap.Height);
    }

    internal SKBitmap ToBitmap()
    {
        var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Pixels.CopyTo(bitmap.GetPixelSpan());
        return bitmap;
    }

    internal static RgbaImage From(SKBitmap bitmap)
    {
        using var copy = bitmap.Copy(SKColorType.Rgba8888);
        return new RgbaImage(copy.GetPixelSpan().ToArray(), copy.Width, copy.Height);
    }
}

/// <summary>
/// A transformed view of a photo and the matrix that maps the photo's pixels into it, so a face found in the photo can
/// be expected at a known place in the view.
/// </summary>
public sealed record PhotoView(string Name, RgbaImage Image, SKMatrix FromPhoto);

/// <summary>Transformed views of a photo for measuring a detector: scale, crop, blur, darkness, JPEG, mirror, rotation, placement.</summary>
public static class PhotoViews
{
    /// <summary>The standard set: scales 0.25–2, four crops, blur, dark, JPEG 30, mirror, rotations ±5/±10/±15°.</summary>
    public static IEnumerable<PhotoView> Standard(RgbaImage photo)
    {
        foreach (var scale in new[] { 0.25f, 0.5f, 0.75f, 1.5f, 2f })
        {
            yield return Geometric($"scale {scale}", photo, (int)(photo.Width * scale), (int)(photo.Height * scale), SKMatrix.CreateScale(scale, scale));
        }

        foreach (var crop in Crops(photo))
        {
            yield return crop;
        }

        yield return Filtered("blur σ2", photo, SKImageFilter.CreateBlur(2, 2));
        yield return Filtered("blur σ4", photo, SKImageFilter.CreateBlur(4, 4));
        yield return Light("dark ×0.35", photo, 0.35f, 0);
        yield return Jpeg("jpeg 30", photo, 30);
        yield return Mirror(photo);
        foreach (var rotation in Rotations(photo))
        {
            yield return rotation;
        }
    }

    /// <summary>
    /// Views that keep the face recognisable, for same-person pairs: mirror, shifts, scales 0.5–1.5, four crops, JPEG
    /// 30–90, dark and bright, blur σ1–3, rotations ±5/±10/±15°, Gaussian noise σ8/16 and three combinations (35 in all).
    /// Deterministic: the noise comes from <paramref name="seed"/>.
    /// </summary>
    public static IEnumerable<PhotoView> Varied(RgbaImage photo, int seed = 1)
    {
        yield return Mirror(photo);
        foreach (var (name, dx, dy) in new[] { ("shift left", -0.1f, 0f), ("shift right", 0.1f, 0f), ("shift up", 0f, -0.08f), ("shift down", 0f, 0.08f) })
        {
            yield return Geometric(name, photo, photo.Width, photo.Height, SKMatrix.CreateTranslation(dx * photo.Width, dy * photo.Height));
        }

        foreach (var scale in new[] { 0.5f, 0.75f, 1.25f, 1.5f })
        {
            yield return Scaled(photo, scale);
        }

        foreach (var crop in Crops(photo))
        {
            yield return crop;
        }

        foreach (var quality in new[] { 30, 50, 70, 90 })
        {
            yield return Jpeg($"jpeg {quality}", photo, quality);
        }

        yield return Light("dark ×0.35", photo, 0.35f, 0);
        yield return Light("dark ×0.6", photo, 0.6f, 0);
        yield return Light("bright ×1.4", photo, 1.4f, 0);
        yield return Light("bright +0.2", photo, 1, 0.2f);
        foreach (var sigma in new[] { 1f, 2f, 3f })
        {
            yield return Filtered($"blur σ{sigma}", photo, SKImageFilter.CreateBlur(sigma, sigma));
        }

        foreach (var rotation in Rotations(photo))
        {
            yield return rotation;
        }

        yield return Noisy("noise σ8", photo, 8, seed);
        yield return Noisy("noise σ16", photo, 16, seed + 1);
        yield return Then(Mirror(photo), v => Jpeg("jpeg 50", v, 50));
        yield return Then(Geometric("rotate 10°", photo, photo.Width, photo.Height, SKMatrix.CreateRotationDegrees(10, photo.Width / 2f, photo.Height / 2f)),
            v => Light("dark ×0.6", v, 0.6f, 0));
        yield return Then(Then(Scaled(photo, 0.75f), v => Filtered("blur σ1", v, SKImageFilter.CreateBlur(1, 1))), v => Jpeg("jpeg 70", v, 70));
    }

    /// <summary>The photo flipped left to right.</summary>
    public static PhotoView Mirror(RgbaImage photo) =>
        Geometric("mirror", photo, photo.Width, photo.Height, SKMatrix.CreateScale(-1, 1, photo.Width / 2f, 0));

    /// <summary>The photo resized by <paramref name="scale"/>.</summary>
    public static PhotoView Scaled(RgbaImage photo, float scale) =>
        Geometric($"scale {scale}", photo, (int)(photo.Width * scale), (int)(photo.Height * scale), SKMatrix.CreateScale(scale, scale));

    /// <summary>A view of a view: <paramref name="next"/> applied to <paramref name="first"/>'s image, names and matrices chained.</summary>
    public static PhotoView Then(PhotoView first, Func<RgbaImage, PhotoView> next)
    {
        var second = next(first.Image);
        return new PhotoView($"{first.Name} + {second.Name}", second.Image, first.FromPhoto.PostConcat(second.FromPhoto));
    }

    /// <summary>The photo scaled by <paramref name="scale"/> and centred on a grey square canvas of side <paramref name="canvas"/>.</summary>
    public static PhotoView OnCanvas(RgbaImage photo, int canvas, float scale, SKPoint centre)
    {
        var matrix = SKMatrix.CreateScale(scale, scale).PostConcat(SKMatrix.CreateTranslation((canvas / 2f) - (centre.X * scale), (canvas / 2f) - (centre.Y * scale)));
        return Geometric($"{canvas}px canvas ×{scale:0.###}", photo, canvas, canvas, matrix);
    }

    /// <summary>The photo turned clockwise by a multiple of 90°, as an EXIF orientation would leave it if not applied.</summary>
    public static PhotoView Turned(RgbaImage photo, int quarterTurns)
    {
        var turns = ((quarterTurns % 4) + 4) % 4;
        var (width, height) = turns % 2 == 0 ? (photo.Width, photo.Height) : (photo.Height, photo.Width);
        var matrix = SKMatrix.CreateTranslation(-photo.Width / 2f, -photo.Height / 2f)
            .PostConcat(SKMatrix.CreateRotationDegrees(90 * turns))
            .PostConcat(SKMatrix.CreateTranslation(width / 2f, height / 2f));
        return Geometric($"turned {90 * turns}°", photo, width, height, matrix);
    }

    /// <summary>Two images side by side on one canvas (the second at its own size), top-aligned, black elsewhere.</summary>
    public static RgbaImage SideBySide(RgbaImage left, RgbaImage right)
    {
        using var canvasBitmap = new SKBitmap(new SKImageInfo(left.Width + right.Width, Math.Max(left.Height, right.Height), SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(canvasBitmap))
        using (var a = left.ToBitmap())
        using (var b = right.ToBitmap())
        {
            canvas.Clear(SKColors.Black);
            using var imageA = SKImage.FromBitmap(a);
            using var imageB = SKImage.FromBitmap(b);
            canvas.DrawImage(imageA, 0, 0, SKSamplingOptions.Default);
            canvas.DrawImage(imageB, left.Width, 0, SKSamplingOptions.Default);
        }

        return RgbaImage.From(canvasBitmap);
    }

    private static IEnumerable<PhotoView> Crops(RgbaImage photo)
    {
        foreach (var (name, fx, fy) in new[] { ("crop top-left", 0f, 0f), ("crop top-right", 0.25f, 0f), ("crop bottom-left", 0f, 0.2f), ("crop centre", 0.125f, 0.1f) })
        {
            // A 75% window: the face stays inside it in these portraits.
            yield return Geometric(name, photo, (int)(photo.Width * 0.75f), (int)(photo.Height * 0.75f),
                SKMatrix.CreateTranslation(-fx * photo.Width, -fy * photo.Height));
        }
    }

    private static IEnumerable<PhotoView> Rotations(RgbaImage photo)
    {
        foreach (var degrees in new[] { -15f, -10f, -5f, 5f, 10f, 15f })
        {
            yield return Geometric($"rotate {degrees}°", photo, photo.Width, photo.Height, SKMatrix.CreateRotationDegrees(degrees, photo.Width / 2f, photo.Height / 2f));
        }
    }

    /// <summary>Each colour channel times <paramref name="gain"/> plus <paramref name="lift"/> (a fraction of full scale).</summary>
    private static PhotoView Light(string name, RgbaImage photo, float gain, float lift) =>
        Filtered(name, photo, SKImageFilter.CreateColorFilter(SKColorFilter.CreateColorMatrix(
            [gain, 0, 0, 0, lift, 0, gain, 0, 0, lift, 0, 0, gain, 0, lift, 0, 0, 0, 1, 0])));

    /// <summary>Independent Gaussian noise of <paramref name="sigma"/> grey levels on every colour channel.</summary>
    private static PhotoView Noisy(string name, RgbaImage photo, double sigma, int seed)
    {
        var random = new Random(seed);
        var pixels = (byte[])photo.Pixels.Clone();
        for (var i = 0; i < pixels.Length; i++)
        {
            if (i % 4 != 3)
            {
                // Box–Muller.
                var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                pixels[i] = (byte)Math.Clamp(Math.Round(pixels[i] + (sigma * gaussian)), 0, 255);
            }
        }

        return new PhotoView(name, new RgbaImage(pixels, photo.Width, photo.Height), SKMatrix.Identity);
    }

    private static PhotoView Geometric(string name, RgbaImage photo, int width, int height, SKMatrix matrix)
    {
        using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(target))
        using (var source = photo.ToBitmap())
        using (var image = SKImage.FromBitmap(source))
        {
            canvas.Clear(new SKColor(128, 128, 128));
            canvas.SetMatrix(matrix);
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }

        return new PhotoView(name, RgbaImage.From(target), matrix);
    }

    private static PhotoView Filtered(string name, RgbaImage photo, SKImageFilter filter)
    {
        using (filter)
        using (var target = new SKBitmap(new SKImageInfo(photo.Width, photo.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul)))
        using (var canvas = new SKCanvas(target))
        using (var source = photo.ToBitmap())
        using (var image = SKImage.FromBitmap(source))
        using (var paint = new SKPaint { ImageFilter = filter })
        {
            canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default, paint);
            canvas.Flush();
            return new PhotoView(name, RgbaImage.From(target), SKMatrix.Identity);
        }
    }

    private static PhotoView Jpeg(string name, RgbaImage photo, int quality)
    {
        using var source = photo.ToBitmap();
        using var data = source.Encode(SKEncodedImageFormat.Jpeg, quality);
        return new PhotoView(name, RgbaImage.Decode(data.ToArray()), SKMatrix.Identity);
    }
}
