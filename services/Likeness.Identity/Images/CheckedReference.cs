using SkiaSharp;

namespace Likeness.Identity.Images;

/// <summary>A reference that passed every check, decoded to a working copy of at most <see cref="ReferenceDecoder.WorkingSide"/> px.</summary>
public sealed class CheckedReference : IDisposable
{
    internal CheckedReference(int index, EncodedImageFormat format, int width, int height, byte[] contentHash, SKBitmap working)
    {
        Index = index;
        Format = format;
        Width = width;
        Height = height;
        ContentHash = contentHash;
        Working = working;
    }

    /// <summary>Position in the request, from 0.</summary>
    public int Index { get; }

    public EncodedImageFormat Format { get; }

    /// <summary>Full decoded width in pixels.</summary>
    public int Width { get; }

    /// <summary>Full decoded height in pixels.</summary>
    public int Height { get; }

    /// <summary>SHA-256 of the encoded bytes.</summary>
    public byte[] ContentHash { get; }

    /// <summary>RGBA8888, unpremultiplied, long side at most <see cref="ReferenceDecoder.WorkingSide"/>.</summary>
    internal SKBitmap Working { get; }

    public void Dispose() => Working.Dispose();
}
