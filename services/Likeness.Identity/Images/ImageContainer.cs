using System.Buffers.Binary;

namespace Likeness.Identity.Images;

/// <summary>What the container of an encoded image says before any pixel is decoded: whether it is whole, and how many frames it holds.</summary>
/// <param name="Incomplete">Null for a whole file, else why it is not (a sentence fragment, e.g. "ends before its end-of-image marker").</param>
/// <param name="FrameCount">1 for a still image; more for an animated PNG (acTL) or WebP (ANMF chunks).</param>
public sealed record ImageContainer(string? Incomplete, int FrameCount)
{
    private static readonly ImageContainer Whole = new(null, 1);

    /// <summary>
    /// Walks the container's segments (JPEG markers, PNG chunks, RIFF chunks), not the compressed data; every offset is
    /// checked against the length first, so hostile sizes end the walk rather than index out of range.
    /// A JPEG is whole only when its end-of-image marker follows its last scan: a decoder fills the missing part of a
    /// progressive JPEG with blur and reports success, so the marker is the one test that treats baseline and
    /// progressive files alike (ITU-T T.81 §B.2.1). A PNG is whole when its IEND chunk is present (PNG §11.2.5);
    /// a WebP when the RIFF size its header declares is present.
    /// </summary>
    public static ImageContainer Inspect(EncodedImageFormat format, ReadOnlySpan<byte> data) => format switch
    {
        EncodedImageFormat.Jpeg => Jpeg(data),
        EncodedImageFormat.Png => Png(data),
        EncodedImageFormat.Webp => Webp(data),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private static ImageContainer Jpeg(ReadOnlySpan<byte> data)
    {
        var i = 2; // after SOI
        while (i + 1 < data.Length)
        {
            if (data[i] != 0xFF)
            {
                i++; // stray bytes between segments: skipped up to the next marker, as libjpeg does
                continue;
            }

            var marker = data[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            if (marker == 0xD9)
            {
                return Whole;
            }

            if (marker is 0x01 or >= 0xD0 and <= 0xD7)
            {
                i += 2;
                continue;
            }

            if (i + 4 > data.Length)
            {
                break;
            }

            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(data[(i + 2)..]);
            if (marker == 0xDA)
            {
                i = EndOfEntropyCodedData(data, i);
            }
        }

        return new("ends before its end-of-image marker: the file was cut short", 1);
    }

    /// <summary>The offset of the first marker after a scan's entropy-coded data (stuffed 0xFF00 and restart markers belong to the data), or the end.</summary>
    private static int EndOfEntropyCodedData(ReadOnlySpan<byte> data, int start)
    {
        for (var i = start; i + 1 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] != 0x00 && data[i + 1] is not (>= 0xD0 and <= 0xD7))
            {
                return i;
            }
        }

        return data.Length;
    }

    private static ImageContainer Png(ReadOnlySpan<byte> data)
    {
        var frames = 1;
        var i = 8; // after the signature
        while (i + 8 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
            var type = data.Slice(i + 4, 4);
            if (length > int.MaxValue || i + 12L + length > data.Length)
            {
                break;
            }

            if (type.SequenceEqual("acTL"u8) && length >= 4)
            {
                frames = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(data[(i + 8)..]));
            }

            if (type.SequenceEqual("IEND"u8))
            {
                return new(null, frames);
            }

            i += 12 + (int)length;
        }

        return new("ends before its IEND chunk: the file was cut short", frames);
    }

    private static ImageContainer Webp(ReadOnlySpan<byte> data)
    {
        var declared = 8L + BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (declared > data.Length)
        {
            return new($"holds {data.Length} of the {declared} bytes its RIFF header declares: the file was cut short", 1);
        }

        var frames = 0;
        for (long i = 12; i + 8 <= declared;)
        {
            long size = BinaryPrimitives.ReadUInt32LittleEndian(data[(int)(i + 4)..]);
            frames += data.Slice((int)i, 4).SequenceEqual("ANMF"u8) ? 1 : 0;
            i += 8 + size + (size & 1); // chunks are padded to even sizes; a size past the end ends the walk
        }

        return new(null, Math.Max(1, frames));
    }
}
