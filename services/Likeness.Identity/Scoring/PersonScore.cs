namespace Likeness.Identity.Scoring;

/// <summary>How well a clip keeps one person; the proto's <c>PersonScore</c> defines each figure.</summary>
/// <param name="MissingFraction">Share of frames without a face assigned to the person, 0..1.</param>
/// <param name="FaceSim">Mean cosine to the references over the frames present.</param>
/// <param name="Drift">Mean 1 − cosine between the person's faces in adjacent frames where both are present.</param>
/// <param name="IdentityLoss">The seed's identity preservation loss over the frames present, on unit-length descriptors (0..6).</param>
/// <param name="Leakage">Share of the frames present in which the person's face also matched another person, 0..1.</param>
/// <param name="ConfusedWith">Per person (request order), the frames in which this person's face also matched them.</param>
public sealed record PersonScore(
    string Name,
    int FramesPresent,
    float MissingFraction,
    float FaceSim,
    float Drift,
    float IdentityLoss,
    float Leakage,
    IReadOnlyList<int> ConfusedWith);
