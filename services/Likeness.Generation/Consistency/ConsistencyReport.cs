using Likeness.Identity.Regions;

namespace Likeness.Generation.Consistency;

/// <summary>How well each character's identity holds across the clip, measured with the identity model's face backbone.</summary>
public sealed record ConsistencyReport(IReadOnlyList<CharacterConsistency> Characters, bool Untrained);

/// <summary>
/// One character's figures: per-frame cosine similarity of its region to f(ref) and their mean (FaceSim), adjacent-frame
/// drift (mean 1 − cos), the identity preservation loss <c>reference_loss + 0.5 · temporal_loss</c>, and leakage: its
/// region's similarity to each other character's reference (0 for itself); <paramref name="Region"/> is where the
/// character was drawn and scored, <paramref name="DefaultRegion"/> true when the request gave none.
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
    bool DefaultRegion);
