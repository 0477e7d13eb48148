namespace Likeness.Training.Evaluation;

/// <summary>Means over the clips of one condition, measured by the evaluator recogniser.</summary>
/// <param name="FaceSim">Mean cosine of each frame's face to the character's reference embedding.</param>
/// <param name="Drift">Mean 1 − cosine between adjacent frames' faces.</param>
/// <param name="IdentityLoss">The seed's mean_t ||f(v_t) − f(ref)||² + 0.5 · mean_t ||f(v_t) − f(v_{t+1})||², unit embeddings.</param>
/// <param name="Identification">Share of clips whose mean face embedding is nearest the right character's reference among the gallery.</param>
/// <param name="EdgeRatio">Edge energy of the clips over that of the renderer's frames of the same scripts (1 for the renders themselves).</param>
/// <param name="MotionRatio">
/// Motion amplitude (<see cref="ClipMeasures.MotionAmplitude"/>) of the clips over that of the renderer's frames of the same
/// scripts: a frozen face scores near 0 here however well it scores on identity.
/// </param>
public sealed record ConditionResult(
    string Group, string Condition, int Clips, double FaceSim, double Drift, double IdentityLoss, double Identification, double EdgeRatio,
    double MotionRatio);

/// <summary>Two characters per clip: each one's FaceSim in its own region, and its region's similarity to the other's reference.</summary>
public sealed record PairResult(int Clips, double FaceSim, double Leakage, double Identification);

/// <summary>How often the trait classifier reads each trait right in one condition's frames, in <see cref="Traits.CastTrait.All"/> order.</summary>
public sealed record TraitResult(string Condition, IReadOnlyList<double> Accuracy);

/// <summary>
/// Fréchet distances in the evaluator's feature space between face crops of generated frames and the renderer's frames of
/// the same scripts, and the floor: renders of other scripts of the same characters against those renders.
/// </summary>
public sealed record FrechetResult(double Generated, double NoIdentity, double Floor, int Samples);

public sealed record EvaluationReport(
    IReadOnlyList<ConditionResult> Rows, PairResult Pairs, IReadOnlyList<TraitResult> Traits, FrechetResult Frechet, int Gallery, string IdentityModelId, string VideoModelId, string EvaluatorId, TimeSpan Elapsed)
{
    public double Chance => 1.0 / Gallery;
}
