using SkiaSharp;

namespace Likeness.Testing;

/// <summary>
/// Edits of the public-domain test photos (<see cref="TestPhotos"/>) made with SkiaSharp, for tests that need the same
/// person seen differently or several people in one picture. Every method returns a new RGBA8888 bitmap; encode with
/// <see cref="Png"/> or <see cref="Jpeg"/>.
/// </summary>
public static class PhotoEdits
{
    /// <summary>A photo decoded to opaque RGBA8888.</summary>
    public static SKBitmap Load(string path)
    {
        using var decoded = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} is not a decodable image.");
        return Draw(decoded.Width, decoded.Height, canvas => DrawBitmap(canvas, decoded, SKRect.Create(decoded.Width, decoded.Height)));
    }

    public static byte[] Png(SKBitmap bitmap)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static byte[] Jpeg(SKBitmap bitmap, int quality = 90)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    /// <summary>Mirrored left to right.</summary>
    public static SKBitmap Mirrored(SKBitmap photo) => Draw(photo.Width, photo.Height, canvas =>
    {
        canvas.Scale(-1, 1, photo.Width / 2f, 0);
        DrawBitmap(canvas, photo, SKRect.Create(photo.Width, photo.Height));
    });

    /// <summary>Drawn on a black canvas of the same size, scaled by <paramref name="scale"/> about the origin and moved by (dx, dy).</summary>
    public static SKBitmap Moved(SKBitmap photo, float scale, float dx, float dy) =>
        Draw(photo.Width, photo.Height, canvas => DrawBitmap(canvas, photo, SKRect.Create(dx, dy, photo.Width * scale, photo.Height * scale)));

    /// <summary>Turned by <paramref name="degrees"/> clockwise about the centre, on black, same size.</summary>
    public static SKBitmap Rotated(SKBitmap photo, float degrees) => Draw(photo.Width, photo.Height, canvas =>
    {
        canvas.RotateDegrees(degrees, photo.Width / 2f, photo.Height / 2f);
        DrawBitmap(canvas, photo, SKRect.Create(photo.Width, photo.Height));
    });

    /// <summary>Gaussian blur of <paramref name="sigma"/> px.</summary>
    public static SKBitmap Blurred(SKBitmap photo, float sigma) => Draw(photo.Width, photo.Height, canvas =>
    {
        using var paint = new SKPaint { ImageFilter = SKImageFilter.CreateBlur(sigma, sigma) };
        using var image = SKImage.FromBitmap(photo);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), paint);
    });

    /// <summary>Every colour value multiplied by <paramref name="factor"/> (0..1).</summary>
    public static SKBitmap Darker(SKBitmap photo, float factor) => Draw(photo.Width, photo.Height, canvas =>
    {
        using var paint = new SKPaint
        {
            ColorFilter = SKColorFilter.CreateColorMatrix(
            [
                factor, 0, 0, 0, 0,
                0, factor, 0, 0, 0,
                0, 0, factor, 0, 0,
                0, 0, 0, 1, 0,
            ]),
        };
        using var image = SKImage.FromBitmap(photo);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), paint);
    });

    /// <summary>The rectangle (x, y, width, height) of the photo, scaled by <paramref name="scale"/>.</summary>
    public static SKBitmap Cropped(SKBitmap photo, int x, int y, int width, int height, float scale = 1) =>
        Draw((int)MathF.Round(width * scale), (int)MathF.Round(height * scale), canvas =>
        {
            canvas.Scale(scale);
            DrawBitmap(canvas, photo, SKRect.Create(-x, -y, photo.Width, photo.Height));
        });

    /// <summary>The photo scaled by <paramref name="scale"/> onto a grey square canvas of <paramref name="side"/> px, the photo's point (centreX, centreY) at the canvas's centre.</summary>
    public static SKBitmap OnCanvas(SKBitmap photo, int side, float scale, float centreX, float centreY) => Draw(side, side, canvas =>
    {
        canvas.Clear(new SKColor(128, 128, 128));
        DrawBitmap(canvas, photo, SKRect.Create((side / 2f) - (centreX * scale), (side / 2f) - (centreY * scale), photo.Width * scale, photo.Height * scale));
    });

    /// <summary>The photos next to each other, left to right, each scaled to <paramref name="height"/> px high, on black.</summary>
    public static SKBitmap SideBySide(int height, params SKBitmap[] photos)
    {
        var widths = photos.Select(p => (int)MathF.Round(p.Width * height / (float)p.Height)).ToArray();
        return Draw(widths.Sum(), height, canvas =>
        {
            var x = 0;
            for (var i = 0; i < photos.Length; i++)
            {
                DrawBitmap(canvas, photos[i], SKRect.Create(x, 0, widths[i], height));
                x += widths[i];
            }
        });
    }

    /// <summary>Uniform noise, each channel of each pixel drawn from <paramref name="seed"/>.</summary>
    public static SKBitmap Noise(int width, int height, int seed)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = bitmap.GetPixelSpan();
        new Random(seed).NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255;
        }

        return bitmap;
    }

    /// <summary>One colour all over.</summary>
    public static SKBitmap Plain(int width, int height, SKColor colour) => Draw(width, height, canvas => canvas.Clear(colour));

    private static SKBitmap Draw(int width, int height, Action<SKCanvas> draw)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Black);
        draw(canvas);
        canvas.Flush();
        return bitmap;
    }

    private static void DrawBitmap(SKCanvas canvas, SKBitmap photo, SKRect destination)
    {
        using var image = SKImage.FromBitmap(photo);
        canvas.DrawImage(image, destination, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }
}
