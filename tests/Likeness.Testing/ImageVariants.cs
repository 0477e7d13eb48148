using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace Likeness.Testing;

/// <summary>One picture written in the encodings that trip image pipelines: EXIF orientations, PNG colour types and depths.</summary>
public static class ImageVariants
{
    /// <summary>PNG colour types (PNG §11.2.2).</summary>
    public enum PngColour : byte
    {
        Grey = 0,
        Rgb = 2,
        Palette = 3,
        GreyAlpha = 4,
        Rgba = 6,
    }

    /// <summary>
    /// An upright RGBA picture of <paramref name="width"/>×<paramref name="height"/> with the cases' corner markers:
    /// red top-left, blue top-right, green bottom-left, over a drawn face.
    /// </summary>
    public static SKBitmap Upright(int width, int height, int seed = 3)
    {
        var bitmap = SKBitmap.Decode(TestImages.Face(seed, width, height));
        using var canvas = new SKCanvas(bitmap);
        var marker = Math.Min(width, height) / 8f;
        using var paint = new SKPaint();
        foreach (var (colour, x, y) in Markers(width, height, marker))
        {
            paint.Color = colour;
            canvas.DrawRect(x, y, marker, marker, paint);
        }

        return bitmap;
    }

    /// <summary>The markers' colours and top-left corners as displayed.</summary>
    public static IEnumerable<(SKColor Colour, float X, float Y)> Markers(int width, int height, float marker) =>
    [
        (SKColors.Red, 0, 0),
        (SKColors.Blue, width - marker, 0),
        (new SKColor(0, 200, 0), 0, height - marker),
    ];

    /// <summary>
    /// A JPEG whose stored pixels, turned by EXIF orientation <paramref name="orientation"/> (1–8), display as <paramref name="upright"/>.
    /// The stored pixels are drawn with Skia matrices that undo each orientation's display transform (EXIF 2.32 §4.6.4 A).
    /// </summary>
    public static byte[] JpegWithOrientation(SKBitmap upright, int orientation)
    {
        float w = upright.Width, h = upright.Height;
        var (matrix, storedWidth, storedHeight) = orientation switch
        {
            1 => (SKMatrix.Identity, w, h),
            2 => (new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1), w, h), // mirrored
            3 => (new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1), w, h), // rotated 180°
            4 => (new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1), w, h), // flipped
            5 => (new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1), h, w), // transposed
            6 => (SKMatrix.CreateRotationDegrees(-90).PostConcat(SKMatrix.CreateTranslation(0, w)), h, w), // displayed after 90° clockwise
            7 => (new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1), h, w), // transversed
            8 => (SKMatrix.CreateRotationDegrees(90).PostConcat(SKMatrix.CreateTranslation(h, 0)), h, w), // displayed after 90° anticlockwise
            _ => throw new ArgumentOutOfRangeException(nameof(orientation)),
        };
        using var stored = new SKBitmap((int)storedWidth, (int)storedHeight);
        using (var canvas = new SKCanvas(stored))
        {
            canvas.SetMatrix(matrix);
            using var image = SKImage.FromBitmap(upright);
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        }

        using var data = stored.Encode(SKEncodedImageFormat.Jpeg, 95);
        return WithExifOrientation(data.ToArray(), orientation);
    }

    /// <summary>Inserts an APP1 Exif segment holding only the Orientation tag right after the JPEG's SOI marker.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        var app1 = new byte[36];
        app1[0] = 0xFF;
        app1[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(app1.AsSpan(2), 34);
        "Exif\0\0MM\0\x2A"u8.CopyTo(app1.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(app1.AsSpan(14), 8); // IFD0 offset from the TIFF header
        BinaryPrimitives.WriteUInt16BigEndian(app1.AsSpan(18), 1); // one entry
        BinaryPrimitives.WriteUInt16BigEndian(app1.AsSpan(20), 0x0112); // Orientation
        BinaryPrimitives.WriteUInt16BigEndian(app1.AsSpan(22), 3); // SHORT
        BinaryPrimitives.WriteUInt32BigEndian(app1.AsSpan(24), 1);
        BinaryPrimitives.WriteUInt16BigEndian(app1.AsSpan(28), (ushort)orientation);
        return [.. jpeg.AsSpan(0, 2), .. app1, .. jpeg.AsSpan(2)];
    }

    /// <summary>
    /// <paramref name="rgba"/> (8-bit, row-major) written as a PNG of the given colour type and depth: grey from the red
    /// channel, a palette of the picture's distinct colours (at most 256), 16-bit samples as v·257.
    /// </summary>
    public static byte[] Png(SKBitmap rgba, PngColour colour, int bitDepth = 8)
    {
        // The copy is held to the end: a temporary's native pixels can be finalised while the span is still being read.
        using var copy = rgba.Copy(SKColorType.Rgba8888);
        var pixels = copy.GetPixelSpan().ToArray();
        int width = rgba.Width, height = rgba.Height;
        var channels = colour switch { PngColour.Grey or PngColour.Palette => 1, PngColour.GreyAlpha => 2, PngColour.Rgb => 3, _ => 4 };
        var sampleBytes = bitDepth / 8;
        var palette = new List<uint>();
        var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (var x = 0; x < width; x++)
            {
                var p = pixels.AsSpan(((y * width) + x) * 4, 4);
                if (colour == PngColour.Palette)
                {
                    var key = BinaryPrimitives.ReadUInt32BigEndian(p);
                    var slot = palette.IndexOf(key);
                    if (slot < 0)
                    {
                        slot = palette.Count;
                        palette.Add(key);
                    }

                    raw.WriteByte((byte)slot);
                    continue;
                }

                ReadOnlySpan<byte> samples = colour switch
                {
                    PngColour.Grey => [p[0]],
                    PngColour.GreyAlpha => [p[0], p[3]],
                    PngColour.Rgb => [p[0], p[1], p[2]],
                    _ => p,
                };
                foreach (var sample in samples[..channels])
                {
                    raw.WriteByte(sample);
                    if (sampleBytes == 2)
                    {
                        raw.WriteByte(sample);
                    }
                }
            }
        }

        if (palette.Count > 256)
        {
            throw new ArgumentException($"The picture has {palette.Count} colours; a palette holds 256.", nameof(rgba));
        }

        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colour;
        Chunk(png, "IHDR", header);
        if (colour == PngColour.Palette)
        {
            Chunk(png, "PLTE", palette.SelectMany(c => new[] { (byte)(c >> 24), (byte)(c >> 16), (byte)(c >> 8) }).ToArray());
            Chunk(png, "tRNS", palette.Select(c => (byte)c).ToArray());
        }

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            raw.Position = 0;
            raw.CopyTo(zlib);
        }

        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, TestImages.Crc32(typed));
        png.Write(word);
    }
}
