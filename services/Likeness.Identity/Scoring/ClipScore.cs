using Likeness.Identity.Faces;
using Likeness.Identity.Images;

namespace Likeness.Identity.Scoring;

/// <summary>One person a clip should keep: reference images, or a stored identity of the photo family.</summary>
public sealed record ScoringPerson(string Name, IReadOnlyList<ReferenceImage> References, string? IdentityId);

/// <summary>One face compared with one person.</summary>
/// <param name="Distance">Euclidean distance between dlib descriptors; 0 = identical.</param>
/// <param name="Similarity">Cosine of the descriptors, -1..1.</param>
/// <param name="SamePerson">Whether <paramref name="Distance"/> is under the threshold.</param>
public sealed record FaceComparison(float Distance, float Similarity, bool SamePerson);

/// <summary>A face in a frame, its comparison with each person (request order) and the person it was assigned to.</summary>
public sealed record ScoredFace(FoundFace Face, IReadOnlyList<FaceComparison> Comparisons, int? Person);

/// <summary>The faces of one frame, largest first.</summary>
public sealed record FrameScore(int Index, IReadOnlyList<ScoredFace> Faces);

/// <summary>How well the clip keeps one person; see the proto's <c>PersonScore</c> for each figure.</summary>
public sealed record PersonScore(
    string Name,
    int FramesPresent,
    float MissingFraction,
    float FaceSim,
    float Drift,
    float IdentityLoss,
    float Leakage,
    IReadOnlyList<int> ConfusedWith);

/// <summary>The whole answer of <c>ScoreConsistency</c>.</summary>
public sealed record ClipScore(IReadOnlyList<FrameScore> Frames, IReadOnlyList<PersonScore> People, float Threshold, string ModelId);
