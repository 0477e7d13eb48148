namespace Likeness.Identity.Scoring;

/// <summary>The whole answer of <c>ScoreConsistency</c>: every frame, every person, the threshold used and the models that scored.</summary>
public sealed record ClipScore(IReadOnlyList<FrameScore> Frames, IReadOnlyList<PersonScore> People, float Threshold, string ModelId);
