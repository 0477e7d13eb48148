namespace Likeness.Training;

/// <summary>One logged point of a training run that reports a single loss.</summary>
public sealed record LossProgress(int Step, double Loss, TimeSpan Elapsed);
