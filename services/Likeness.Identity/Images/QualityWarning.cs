namespace Likeness.Identity.Images;

/// <summary>Something about a reference its user may want to fix.</summary>
public enum QualityWarningCode
{
    LowResolution,
    Underexposed,
    Overexposed,
    Blurry,
    NoSubject,
    SubjectTooSmall,
    Duplicate,
    AnimatedFirstFrame,
}

/// <summary>A warning and a sentence for a person.</summary>
public sealed record QualityWarning(QualityWarningCode Code, string Message);
