namespace Likeness.Identity.Images;

/// <summary>Something about a reference its user may want to fix.</summary>
public enum QualityWarningCode
{
    LowResolution,
    Underexposed,
    Overexposed,
    Blurry,
    NoFace,
    FaceTooSmall,
    Duplicate,
    AnimatedFirstFrame,
    SeveralFaces,
    HeadTurned,
}

/// <summary>A warning and a sentence for a person.</summary>
public sealed record QualityWarning(QualityWarningCode Code, string Message);
