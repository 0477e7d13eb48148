using Likeness.Identity.Regions;

namespace Likeness.Generation.Consistency;

/// <summary>How well each character's identity holds across the clip, measured with the identity model's face backbone.</summary>
public sealed record ConsistencyReport(IReadOnlyList<CharacterConsistency> Characters, bool Untrained)
{
    /// <summary>One entry per chunk, in order.</summary>
    public IReadOnlyList<ChunkConsistency> Chunks { get; init; } = [];

    /// <summary>Mean absolute pixel change (0..1) between adjacent frames of the same shot over the clip.</summary>
    public float MotionAmplitude { get; init; }
}

/// <summary>
/// One character's figures over the frames of the shots it is in: per-frame cosine similarity of its region to f(ref)
/// and their mean (FaceSim), adjacent-frame drift (mean 1 − cos, within shots), the identity preservation loss
/// <c>reference_loss + 0.5 · temporal_loss</c>, and leakage: its region's similarity to each other character's
/// reference (0 for itself); <paramref name="Region"/> is where the character was drawn and scored (in a clip of one
/// shot), <paramref name="DefaultRegion"/> true when the request gave none.
/// </summary>
public sealed record CharacterConsistency(
    string IdentityId,
    IReadOnlyList<float> FrameSimilarity,
    float MeanSimilarity,
    float Drift,
    float ReferenceLoss,
    float TemporalLoss,
    float IdentityLoss,
    IReadOnlyList<float> Leakage,
    RegionTrack Region,
    bool DefaultRegion)
{
    /// <summary>FaceSim per chunk the character appears in.</summary>
    public IReadOnlyList<SpanSimilarity> Chunks { get; init; } = [];

    /// <summary>FaceSim per shot the character appears in, with the shots it was away just before.</summary>
    public IReadOnlyList<SpanSimilarity> Shots { get; init; } = [];

    /// <summary>Clip indices of the frames <see cref="FrameSimilarity"/> covers; empty when it covers every frame.</summary>
    public IReadOnlyList<int> Frames { get; init; } = [];
}

/// <summary>A character's FaceSim over one chunk or shot (<paramref name="Index"/>); for a shot, how many shots in a row it was absent just before.</summary>
public sealed record SpanSimilarity(int Index, float FaceSim, int ShotsAway);

/// <summary>
/// One chunk: its place in the clip, the mean absolute pixel change (0..1) from the frame before it to its first frame
/// (0 at a cut or the clip's start) and between adjacent frames inside it.
/// </summary>
public sealed record ChunkConsistency(int Chunk, int Shot, int FirstFrame, int Frames, float SeamChange, float InnerChange);
