namespace Likeness.Media;

/// <summary>Writes frames as a looping GIF89a: a fixed 6×6×6 colour cube (plus greys), no dithering, LZW-compressed.</summary>
/// <remarks>Good enough to watch a clip anywhere without ffmpeg; exact colours belong in the PNG frames.</remarks>
public static class AnimatedGif
{
    private const int PaletteBits = 8;

    /// <param name="frames">Interleaved RGB8 frames of <paramref name="width"/>×<paramref name="height"/>.</param>
    /// <param name="fps">Playback rate; GIF stores delays in hundredths of a second.</param>
    public static byte[] Encode(IReadOnlyList<byte[]> frames, int width, int height, int fps)
    {
        using var output = new MemoryStream();
        using var writer = new BinaryWriter(output);
        writer.Write("GIF89a"u8);
        writer.Write((ushort)width);
        writer.Write((ushort)height);
        writer.Write((byte)(0x80 | ((PaletteBits - 1) << 4) | (PaletteBits - 1))); // global palette of 256 entries
        writer.Write((byte)0);
        writer.Write((byte)0);
        writer.Write(Palette());
        // NETSCAPE2.0 application extension: loop forever.
        writer.Write([0x21, 0xFF, 0x0B]);
        writer.Write("NETSCAPE2.0"u8);
        writer.Write([0x03, 0x01, 0x00, 0x00, 0x00]);

        var delay = (ushort)Math.Max(2, (int)Math.Round(100.0 / Math.Max(1, fps)));
        foreach (var frame in frames)
        {
            writer.Write([0x21, 0xF9, 0x04, 0x00]);
            writer.Write(delay);
            writer.Write([0x00, 0x00]);
            writer.Write((byte)0x2C);
            writer.Write((ushort)0);
            writer.Write((ushort)0);
            writer.Write((ushort)width);
            writer.Write((ushort)height);
            writer.Write((byte)0);
            writer.Write((byte)PaletteBits);
            WriteSubBlocks(writer, Lzw(Indices(frame, width * height)));
        }

        writer.Write((byte)0x3B);
        writer.Flush();
        return output.ToArray();
    }

    /// <summary>216 colours of the 6×6×6 cube, then 40 greys.</summary>
    private static byte[] Palette()
    {
        var palette = new byte[256 * 3];
        for (var i = 0; i < 216; i++)
        {
            palette[i * 3] = (byte)(i / 36 * 51);
            palette[(i * 3) + 1] = (byte)(i / 6 % 6 * 51);
            palette[(i * 3) + 2] = (byte)(i % 6 * 51);
        }

        for (var i = 216; i < 256; i++)
        {
            var grey = (byte)((i - 216) * 255 / 39);
            palette[i * 3] = palette[(i * 3) + 1] = palette[(i * 3) + 2] = grey;
        }

        return palette;
    }

    private static byte[] Indices(byte[] rgb, int pixels)
    {
        var indices = new byte[pixels];
        for (var i = 0; i < pixels; i++)
        {
            int r = rgb[i * 3], g = rgb[(i * 3) + 1], b = rgb[(i * 3) + 2];
            var cube = (((r + 25) / 51) * 36) + (((g + 25) / 51) * 6) + ((b + 25) / 51);
            var grey = (r + g + b) / 3;
            var greyIndex = 216 + (int)Math.Round(grey * 39 / 255.0);
            var greyLevel = (greyIndex - 216) * 255 / 39;
            var cubeError = Math.Abs(r - ((r + 25) / 51 * 51)) + Math.Abs(g - ((g + 25) / 51 * 51)) + Math.Abs(b - ((b + 25) / 51 * 51));
            var greyError = Math.Abs(r - greyLevel) + Math.Abs(g - greyLevel) + Math.Abs(b - greyLevel);
            indices[i] = (byte)(greyError < cubeError ? greyIndex : cube);
        }

        return indices;
    }

    /// <summary>Variable-width LZW as GIF specifies it: clear code first, codes up to 12 bits, reset when the table fills.</summary>
    private static List<byte> Lzw(byte[] indices)
    {
        const int Clear = 1 << PaletteBits, End = Clear + 1;
        var output = new List<byte>();
        int buffer = 0, bits = 0, width = PaletteBits + 1, next = End + 1;
        var table = new Dictionary<int, int>();

        void Emit(int code)
        {
            buffer |= code << bits;
            bits += width;
            while (bits >= 8)
            {
                output.Add((byte)buffer);
                buffer >>= 8;
                bits -= 8;
            }
        }

        Emit(Clear);
        var prefix = indices.Length > 0 ? indices[0] : 0;
        for (var i = 1; i < indices.Length; i++)
        {
            var key = (prefix << 8) | indices[i];
            if (table.TryGetValue(key, out var code))
            {
                prefix = code;
                continue;
            }

            Emit(prefix);
            if (next < 4096)
            {
                table[key] = next++;
                if (next > (1 << width) && width < 12)
                {
                    width++;
                }
            }
            else
            {
                Emit(Clear);
                table.Clear();
                next = End + 1;
                width = PaletteBits + 1;
            }

            prefix = indices[i];
        }

        Emit(prefix);
        if (next >= (1 << width) && width < 12)
        {
            width++; // the decoder widens after the last entry it adds, before it reads the end code
        }

        Emit(End);
        if (bits > 0)
        {
            output.Add((byte)buffer);
        }

        return output;
    }

    private static void WriteSubBlocks(BinaryWriter writer, List<byte> data)
    {
        for (var offset = 0; offset < data.Count; offset += 255)
        {
            var length = Math.Min(255, data.Count - offset);
            writer.Write((byte)length);
            writer.Write(data.GetRange(offset, length).ToArray());
        }

        writer.Write((byte)0);
    }
}
