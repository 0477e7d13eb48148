using Likeness.Identity.Faces;

namespace Likeness.Identity.Scoring;

/// <summary>A face in a frame, its comparison with each person (request order), and the person it was assigned to (null for none).</summary>
public sealed record ScoredFace(FoundFace Face, IReadOnlyList<FaceComparison> Comparisons, int? Person);
