using System.Buffers.Binary;
using SkiaSharp;

namespace Likeness.Testing;

/// <summary>Reference images drawn on the fly: a face-like subject on a plain background, varied by seed.</summary>
public static class TestImages
{
    public static byte[] Face(int seed, int width = 320, int height = 320, SKEncodedImageFormat format = SKEncodedImageFormat.Png,
        float blurSigma = 0, float brightness = 1)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(Color(random, 40, 90, brightness));
            using var paint = new SKPaint { IsAntialias = true, ImageFilter = blurSigma > 0 ? SKImageFilter.CreateBlur(blurSigma, blurSigma) : null };
            float cx = width * (0.45f + (0.1f * random.NextSingle())), cy = height * (0.45f + (0.1f * random.NextSingle()));
            float rx = width * (0.18f + (0.06f * random.NextSingle())), ry = height * (0.24f + (0.06f * random.NextSingle()));
            paint.Color = Color(random, 120, 230, brightness);
            canvas.DrawOval(cx, cy - (ry * 0.35f), rx * 1.1f, ry * 0.8f, paint);
            paint.Color = Color(random, 170, 250, brightness);
            canvas.DrawOval(cx, cy, rx, ry, paint);
            paint.Color = Color(random, 0, 80, brightness);
            canvas.DrawCircle(cx - (rx * 0.4f), cy - (ry * 0.2f), rx * (0.1f + (0.05f * random.NextSingle())), paint);
            canvas.DrawCircle(cx + (rx * 0.4f), cy - (ry * 0.2f), rx * (0.1f + (0.05f * random.NextSingle())), paint);
            paint.Color = Color(random, 90, 200, brightness);
            canvas.DrawRect(cx - (rx * 0.4f), cy + (ry * 0.45f), rx * 0.8f, ry * 0.08f, paint);
        }

        using var data = bitmap.Encode(format, 92);
        return data.ToArray();
    }

    /// <summary>A PNG whose IHDR declares <paramref name="width"/>×<paramref name="height"/> (with a valid CRC) over tiny pixel data.</summary>
    public static byte[] PngDeclaring(int width, int height)
    {
        var png = Face(1, 64, 64);
        // Signature (8) · IHDR length (4) · "IHDR" (4) · width (4) · height (4) … · CRC over type and data.
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    /// <summary>The first <paramref name="fraction"/> of <paramref name="data"/>.</summary>
    public static byte[] Truncated(byte[] data, double fraction = 0.6) => data[..(int)(data.Length * fraction)];

    private static SKColor Color(Random random, int low, int high, float brightness)
    {
        byte Channel() => (byte)Math.Clamp(random.Next(low, high) * brightness, 0, 255);
        return new SKColor(Channel(), Channel(), Channel());
    }

    /// <summary>The CRC-32 PNG chunks carry (ISO 3309, as PNG §5.5 specifies).</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
