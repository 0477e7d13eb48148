namespace Likeness.Identity.Images;

/// <summary>Recognises an accepted image format from its leading bytes, before any decoder sees them.</summary>
public static class ImageSignature
{
    private static ReadOnlySpan<byte> Png => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The format whose signature starts <paramref name="data"/>, or null.</summary>
    public static EncodedImageFormat? Sniff(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(Png))
        {
            return EncodedImageFormat.Png;
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return EncodedImageFormat.Jpeg;
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return EncodedImageFormat.Webp;
        }

        return null;
    }
}
