namespace Likeness.Identity.Tokens;

/// <summary>How the tokens of several references become one identity.</summary>
public enum CombineMode : byte
{
    /// <summary>Plain mean over references.</summary>
    Mean = 1,

    /// <summary>Mean weighted by each reference's quality score.</summary>
    QualityWeighted = 2,
}
