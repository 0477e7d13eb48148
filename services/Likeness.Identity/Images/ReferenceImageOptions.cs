namespace Likeness.Identity.Images;

/// <summary>Limits every reference image is checked against before it is decoded.</summary>
public sealed class ReferenceImageOptions
{
    /// <summary>Fewest references per identity. Default 1.</summary>
    public int MinReferences { get; set; } = 1;

    /// <summary>Most references per identity. Default 8.</summary>
    public int MaxReferences { get; set; } = 8;

    /// <summary>Largest encoded reference in bytes. Default 8 MiB.</summary>
    public int MaxReferenceBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Largest width × height a header may declare; refused before any pixel buffer exists. Default 40 million.</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Longest side in pixels. Default 12000.</summary>
    public int MaxSide { get; set; } = 12_000;

    /// <summary>Shortest side in pixels; smaller images hold no usable face. Default 64.</summary>
    public int MinSide { get; set; } = 64;
}
