namespace Likeness.Identity.Scoring;

/// <summary>One face compared with one person.</summary>
/// <param name="Distance">Euclidean distance between dlib descriptors; 0 = identical.</param>
/// <param name="Similarity">Cosine of the descriptors, -1..1.</param>
/// <param name="SamePerson">Whether <paramref name="Distance"/> is under the threshold.</param>
public sealed record FaceComparison(float Distance, float Similarity, bool SamePerson);
