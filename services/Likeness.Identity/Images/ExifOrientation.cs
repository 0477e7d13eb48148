using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Jpeg;
using SkiaSharp;

namespace Likeness.Identity.Images;

/// <summary>
/// The EXIF Orientation tag (0x0112) and the transform that displays stored pixels upright.
/// Values 1–8 as in EXIF 2.32 §4.6.4 A: 1 upright, 2 mirrored, 3 rotated 180°, 4 flipped, 5 transposed,
/// 6 to be rotated 90° clockwise, 7 transversed, 8 to be rotated 90° anticlockwise.
/// </summary>
public static class ExifOrientation
{
    /// <summary>
    /// The tag's value read with MetadataExtractor, or 1 when the file has none, an out-of-range one, or metadata that
    /// cannot be parsed: metadata is advisory, and a damaged block must not refuse an image its decoder reads (every
    /// viewer then shows the pixels as stored). JPEG is read with the EXIF reader alone.
    /// </summary>
    public static int Read(byte[] data, EncodedImageFormat format)
    {
        try
        {
            using var stream = new MemoryStream(data, writable: false);
            var directories = format == EncodedImageFormat.Jpeg
                ? JpegMetadataReader.ReadMetadata(stream, [new ExifReader()])
                : ImageMetadataReader.ReadMetadata(stream);
            var value = directories
                .OfType<ExifIfd0Directory>()
                .Select(d => d.TryGetInt32(ExifDirectoryBase.TagOrientation, out var o) ? o : 1)
                .FirstOrDefault(1);
            return value is >= 1 and <= 8 ? value : 1;
        }
        catch (Exception e) when (e is ImageProcessingException or MetadataException or IOException or ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            return 1;
        }
    }

    /// <summary>Whether the orientation swaps width and height (5–8).</summary>
    public static bool SwapsSides(int orientation) => orientation >= 5;

    /// <summary>The pixels as displayed: <paramref name="stored"/> itself for 1, else a new bitmap (and <paramref name="stored"/> is disposed).</summary>
    /// <remarks>An exact pixel permutation: no resampling.</remarks>
    public static SKBitmap Apply(SKBitmap stored, int orientation)
    {
        if (orientation == 1)
        {
            return stored;
        }

        using var _ = stored;
        int w = stored.Width, h = stored.Height;
        var (outW, outH) = SwapsSides(orientation) ? (h, w) : (w, h);
        var upright = new SKBitmap(new SKImageInfo(outW, outH, stored.ColorType, stored.AlphaType));
        var source = stored.GetPixelSpan();
        var target = upright.GetPixelSpan();
        var bytesPerPixel = stored.BytesPerPixel;
        for (var y = 0; y < outH; y++)
        {
            for (var x = 0; x < outW; x++)
            {
                var (sx, sy) = orientation switch
                {
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    4 => (x, h - 1 - y),
                    5 => (y, x),
                    6 => (y, h - 1 - x),
                    7 => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x),
                };
                source.Slice(((sy * w) + sx) * bytesPerPixel, bytesPerPixel).CopyTo(target[(((y * outW) + x) * bytesPerPixel)..]);
            }
        }

        return upright;
    }
}
