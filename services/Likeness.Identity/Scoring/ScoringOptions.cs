namespace Likeness.Identity.Scoring;

/// <summary>Limits of <c>ScoreConsistency</c>. Bound from the <c>Scoring</c> section; frames obey the reference image limits too.</summary>
public sealed class ScoringOptions
{
    /// <summary>Most frames per clip. Default 1000 (40 s at 25 fps).</summary>
    public int MaxFrames { get; set; } = 1000;

    /// <summary>Most people per clip. Default 8.</summary>
    public int MaxPeople { get; set; } = 8;
}
