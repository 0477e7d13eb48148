using SkiaSharp;

namespace Likeness.Media;

/// <summary>How hard PNG encoding compresses: zlib level 6 (the usual default), or 1 for live previews.</summary>
public enum PngEffort
{
    /// <summary>zlib level 6: final frames and files kept.</summary>
    Smallest,

    /// <summary>zlib level 1: previews streamed while a job runs, where encoding time matters more than a few bytes.</summary>
    Fastest,
}

/// <summary>Encodes frames and previews as PNG (and JPEG, for photos), and decodes them back to RGB for clip writers.</summary>
public static class FrameImages
{
    /// <param name="rgb">Interleaved RGB8, row-major.</param>
    /// <param name="maxSide">Scales the image (Mitchell) so its long side is this many pixels; null keeps it.</param>
    public static byte[] Png(byte[] rgb, int width, int height, int? maxSide = null, PngEffort effort = PngEffort.Smallest)
    {
        using var bitmap = ToBitmap(rgb, width, height);
        if (maxSide is not { } side || Math.Max(width, height) == side)
        {
            return Encode(bitmap, effort);
        }

        var factor = side / (double)Math.Max(width, height);
        var info = new SKImageInfo(Math.Max(1, (int)Math.Round(width * factor)), Math.Max(1, (int)Math.Round(height * factor)), SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var scaled = bitmap.Resize(info, new SKSamplingOptions(SKCubicResampler.Mitchell))
            ?? throw new InvalidOperationException("Scaling a preview failed.");
        return Encode(scaled, effort);
    }

    /// <summary>Interleaved RGB8 as a baseline JPEG at <paramref name="quality"/> (1–100, libjpeg's scale).</summary>
    public static byte[] Jpeg(byte[] rgb, int width, int height, int quality)
    {
        using var bitmap = ToBitmap(rgb, width, height);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    /// <summary>
    /// All frames in a grid of <paramref name="columns"/> columns (when not given, <see cref="GridColumns"/>: a full
    /// grid close to square, so 8 frames are 4 × 2 with no empty cell), each scaled to <paramref name="tileSide"/> on
    /// its long side.
    /// </summary>
    public static byte[] ContactSheet(IReadOnlyList<byte[]> frames, int width, int height, int tileSide, int? columns = null, PngEffort effort = PngEffort.Smallest)
    {
        var factor = tileSide / (double)Math.Max(width, height);
        int tileWidth = Math.Max(1, (int)Math.Round(width * factor)), tileHeight = Math.Max(1, (int)Math.Round(height * factor));
        var columnCount = columns ?? GridColumns(frames.Count);
        var rows = (int)Math.Ceiling(frames.Count / (double)columnCount);
        using var sheet = new SKBitmap(new SKImageInfo(columnCount * tileWidth, rows * tileHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(sheet))
        {
            canvas.Clear(SKColors.Black);
            for (var i = 0; i < frames.Count; i++)
            {
                using var bitmap = ToBitmap(frames[i], width, height);
                using var image = SKImage.FromBitmap(bitmap);
                var target = SKRect.Create(i % columnCount * tileWidth, i / columnCount * tileHeight, tileWidth, tileHeight);
                canvas.DrawImage(image, target, new SKSamplingOptions(SKCubicResampler.Mitchell));
            }
        }

        return Encode(sheet, effort);
    }

    /// <summary>
    /// Columns of a contact sheet of <paramref name="frames"/> tiles: the smallest count from ceil(sqrt(n)) up to twice
    /// that which fills every row; ceil(sqrt(n)) when none does (a prime count leaves one row short).
    /// </summary>
    public static int GridColumns(int frames)
    {
        var square = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(frames)));
        for (var columns = square; columns <= Math.Min(frames, 2 * square); columns++)
        {
            if (frames % columns == 0)
            {
                return columns;
            }
        }

        return square;
    }

    /// <summary>Decodes a PNG, JPEG or WebP image to interleaved RGB8.</summary>
    /// <param name="maxSide">When given, an image whose header states a wider or taller size is refused before it is decoded.</param>
    /// <exception cref="InvalidDataException">The bytes are not an image SkiaSharp can decode, or are larger than <paramref name="maxSide"/>.</exception>
    public static (byte[] Rgb, int Width, int Height) DecodeRgb(byte[] encoded, int? maxSide = null)
    {
        if (maxSide is { } limit)
        {
            using var stream = new SKMemoryStream(encoded);
            using var codec = SKCodec.Create(stream) ?? throw new InvalidDataException("Not a PNG, JPEG or WebP image.");
            if (codec.Info.Width > limit || codec.Info.Height > limit)
            {
                throw new InvalidDataException($"The image is {codec.Info.Width}×{codec.Info.Height}; at most {limit} pixels a side are read.");
            }
        }

        using var decoded = SKBitmap.Decode(encoded) ?? throw new InvalidDataException("Not a decodable image.");
        using var bitmap = decoded.ColorType == SKColorType.Rgba8888 ? null : decoded.Copy(SKColorType.Rgba8888);
        var source = bitmap ?? decoded;
        var rgba = source.GetPixelSpan();
        var rgb = new byte[source.Width * source.Height * 3];
        for (var i = 0; i < source.Width * source.Height; i++)
        {
            rgb[i * 3] = rgba[i * 4];
            rgb[(i * 3) + 1] = rgba[(i * 4) + 1];
            rgb[(i * 3) + 2] = rgba[(i * 4) + 2];
        }

        return (rgb, source.Width, source.Height);
    }

    /// <summary>
    /// The largest centred square of a frame, resized to <paramref name="side"/> pixels (mipmapped linear filtering, an
    /// area average when shrinking): how a clip of another size is fitted to the model's frames.
    /// </summary>
    /// <returns>Interleaved RGB8, side × side.</returns>
    public static byte[] FitSquare(byte[] rgb, int width, int height, int side)
    {
        var square = Math.Min(width, height);
        if (width == side && height == side)
        {
            return rgb;
        }

        using var bitmap = ToBitmap(rgb, width, height);
        using var cropped = new SKBitmap(new SKImageInfo(square, square, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (!bitmap.ExtractSubset(cropped, SKRectI.Create((width - square) / 2, (height - square) / 2, square, square)))
        {
            throw new InvalidOperationException("Cropping a frame failed.");
        }

        using var image = SKImage.FromBitmap(cropped);
        using var scaled = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(scaled))
        {
            canvas.DrawImage(image, SKRect.Create(side, side), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }

        var rgba = scaled.GetPixelSpan();
        var fitted = new byte[side * side * 3];
        for (var i = 0; i < side * side; i++)
        {
            rgba.Slice(i * 4, 3).CopyTo(fitted.AsSpan(i * 3, 3));
        }

        return fitted;
    }

    /// <summary>Each pixel repeated <paramref name="factor"/> times across and down: small frames stay sharp when watched.</summary>
    public static byte[] Upscale(byte[] rgb, int width, int height, int factor)
    {
        if (factor == 1)
        {
            return rgb;
        }

        var scaled = new byte[rgb.Length * factor * factor];
        var scaledWidth = width * factor;
        for (var y = 0; y < height * factor; y++)
        {
            for (var x = 0; x < scaledWidth; x++)
            {
                var from = (((y / factor) * width) + (x / factor)) * 3;
                rgb.AsSpan(from, 3).CopyTo(scaled.AsSpan(((y * scaledWidth) + x) * 3));
            }
        }

        return scaled;
    }

    private static SKBitmap ToBitmap(byte[] rgb, int width, int height)
    {
        var rgba = new byte[width * height * 4];
        for (var i = 0; i < width * height; i++)
        {
            rgba[i * 4] = rgb[i * 3];
            rgba[(i * 4) + 1] = rgb[(i * 3) + 1];
            rgba[(i * 4) + 2] = rgb[(i * 3) + 2];
            rgba[(i * 4) + 3] = 255;
        }

        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }

    private static byte[] Encode(SKBitmap bitmap, PngEffort effort)
    {
        using var pixels = bitmap.PeekPixels();
        using var data = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, effort == PngEffort.Fastest ? 1 : 6))
            ?? throw new InvalidOperationException("PNG encoding failed.");
        return data.ToArray();
    }
}
