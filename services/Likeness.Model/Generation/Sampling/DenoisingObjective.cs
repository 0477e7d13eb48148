using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Likeness.Model.Generation.Sampling;

/// <summary>What a video denoiser predicts, and so how it is trained and sampled.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DenoisingObjectiveKind>))]
public enum DenoisingObjectiveKind
{
    /// <summary>
    /// Rectified flow (Liu et al. 2022; Esser et al. 2024, "Scaling Rectified Flow Transformers"): x_t = (1 − t)·x0 + t·ε,
    /// the model predicts the velocity v = ε − x0, t is drawn logit-normal in training and sampling takes Euler steps
    /// from t = 1 (pure noise) to 0.
    /// </summary>
    [JsonStringEnumMemberName("rectified_flow")]
    RectifiedFlow,

    /// <summary>
    /// DDPM noise prediction on the linear-beta schedule (Ho et al. 2020) with DDIM sampling (Song et al. 2021). Its
    /// terminal signal-to-noise ratio is not zero (ᾱ_T = 4·10⁻⁵), so the first sampled step is not pure noise (Lin et al.
    /// 2024); kept so weights trained on it still load.
    /// </summary>
    [JsonStringEnumMemberName("epsilon")]
    Epsilon,
}

/// <summary>
/// One parameterisation of diffusion: how training corrupts a clean sample and what it regresses, and how sampling walks
/// noise levels back to a clean sample. Levels are the objective's own (t in 0..1 for rectified flow, the integer DDPM
/// timestep for epsilon); <see cref="ModelTime"/> turns a level into the number the denoiser's timestep embedding reads.
/// </summary>
public abstract class DenoisingObjective
{
    /// <param name="pixelSpace">
    /// True when samples are pixels in -1..1, which the epsilon objective clips its clean estimate to; latents are left
    /// unclipped.
    /// </param>
    public static DenoisingObjective For(DenoisingObjectiveKind kind, int trainTimesteps, bool pixelSpace) => kind switch
    {
        DenoisingObjectiveKind.RectifiedFlow => new RectifiedFlowObjective(),
        DenoisingObjectiveKind.Epsilon => new EpsilonObjective(new DiffusionSchedule(trainTimesteps), clipToPixelRange: pixelSpace),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown objective."),
    };

    /// <summary>The objective a video model was trained with, on its own space.</summary>
    public static DenoisingObjective For(Generation.VideoModelConfig config) =>
        For(config.Objective, config.TrainTimesteps, pixelSpace: config.Channels == 3 && config.LatentDownsample == 1);

    public abstract DenoisingObjectiveKind Kind { get; }

    /// <summary>The levels a run of <paramref name="steps"/> steps visits, from the noisiest, plus the clean end as the last entry.</summary>
    /// <returns><paramref name="steps"/> + 1 levels.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one step, or more than the schedule has.</exception>
    public abstract double[] SamplingLevels(int steps);

    /// <summary>The share of x0 in x_t at <paramref name="level"/> (√ᾱ for epsilon, 1 − t for rectified flow); 0 means pure noise.</summary>
    public abstract double SignalCoefficient(double level);

    /// <summary>The share of ε in x_t at <paramref name="level"/> (√(1 − ᾱ) for epsilon, t for rectified flow): x_t = s·x0 + σ·ε.</summary>
    public abstract double NoiseCoefficient(double level);

    /// <summary><see cref="SignalCoefficient"/> of every level of a training batch, shaped like <paramref name="levels"/>.</summary>
    public abstract Tensor SignalCoefficients(Tensor levels);

    /// <summary>The timestep input of the denoiser for <paramref name="level"/>.</summary>
    public abstract double ModelTime(double level);

    /// <summary>Levels for a training batch: [batch], in the objective's own units.</summary>
    public abstract Tensor TrainingLevels(long batch, Generator generator);

    /// <summary>x_t from clean samples and noise; <paramref name="levels"/> broadcasts against them ([batch, 1, …]).</summary>
    public abstract Tensor AddNoise(Tensor clean, Tensor noise, Tensor levels);

    /// <summary>What the denoiser is trained to output for these clean samples and noise.</summary>
    public abstract Tensor Target(Tensor clean, Tensor noise, Tensor levels);

    /// <summary>The clean sample a prediction implies at x_t (not clamped).</summary>
    public abstract Tensor CleanEstimate(Tensor noisy, Tensor prediction, Tensor levels);

    /// <summary>Sampling: x at <paramref name="level"/> → x at <paramref name="next"/> given the prediction; also the clean estimate.</summary>
    public abstract (Tensor Next, Tensor Clean) Step(Tensor x, Tensor prediction, double level, double next);

    /// <summary>The denoiser's timestep inputs for a training batch.</summary>
    public abstract Tensor ModelTimes(Tensor levels);
}
