using Likeness.Identity.Faces;
using Likeness.Identity.Regions;

namespace Likeness.Identity.Images;

/// <summary>Measurements of one reference; <see cref="Score"/> weighs it under quality-weighted combining.</summary>
public sealed record ReferenceQuality
{
    public required int Index { get; init; }

    public required EncodedImageFormat Format { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>Mean Rec. 709 luma, 0..1.</summary>
    public required float MeanLuma { get; init; }

    /// <summary>Fraction of pixels with luma below 0.02.</summary>
    public required float DarkClippedFraction { get; init; }

    /// <summary>Fraction of pixels with luma above 0.98.</summary>
    public required float BrightClippedFraction { get; init; }

    /// <summary>Variance of the 4-neighbour Laplacian of luma (0..255) at 256 px on the short side.</summary>
    public required float Sharpness { get; init; }

    /// <summary>The finder that looked for faces: the identity family's own (<see cref="Faces.IFaceFinder.Name"/>).</summary>
    public required string FaceFinder { get; init; }

    /// <summary>Every face found, largest box first; the first is the one used.</summary>
    public required IReadOnlyList<FoundFace> Faces { get; init; }

    /// <summary>The box of the face used (the largest), or null when none was found and the centre is used.</summary>
    public required NormalizedBox? Subject { get; init; }

    /// <summary>0..1; the product of resolution, exposure, sharpness and face factors.</summary>
    public required float Score { get; init; }

    public required IReadOnlyList<QualityWarning> Warnings { get; init; }
}
