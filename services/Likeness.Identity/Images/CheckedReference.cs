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

    /// <summary>The format its signature shows.</summary>
    public EncodedImageFormat Format { get; }

    /// <summary>EXIF orientation (1–8) the stored pixels were turned by; 1 when the file has none.</summary>
    public int Orientation { get; init; } = 1;

    /// <summary>Frames in the file; only the first is read.</summary>
    public int FrameCount { get; init; } = 1;

    /// <summary>Full width in pixels as displayed (after EXIF orientation).</summary>
    public int Width { get; }

    /// <summary>Full height in pixels as displayed (after EXIF orientation).</summary>
    public int Height { get; }

    /// <summary>SHA-256 of the encoded bytes.</summary>
    public byte[] ContentHash { get; }

    /// <summary>RGBA8888, opaque, upright, long side at most <see cref="ReferenceDecoder.WorkingSide"/>.</summary>
    internal SKBitmap Working { get; }

    /// <summary>
    /// The same picture with its long side at most <see cref="ReferenceDecoder.DetailSide"/>, kept when the decoder was
    /// asked for detail (the photo family cuts its 150 px face chips here); otherwise <see cref="Working"/>.
    /// </summary>
    internal SKBitmap Detail { get; init; } = null!;

    public void Dispose()
    {
        if (!ReferenceEquals(Detail, Working))
        {
            Detail?.Dispose();
        }

        Working.Dispose();
    }
}
