namespace Likeness.Identity.Scoring;

/// <summary>The faces of one frame, largest first.</summary>
/// <param name="Index">Position in the clip, from 0.</param>
public sealed record FrameScore(int Index, IReadOnlyList<ScoredFace> Faces);
