using Likeness.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Likeness.Model.Generation.Sampling;

/// <summary>
/// DDPM noise prediction with deterministic DDIM sampling (η = 0): x0 is estimated from the predicted noise (clipped to
/// -1..1 when samples are pixels), the noise re-derived from it, and both recombined at the next timestep. Levels are
/// integer timesteps 0..T−1, and −1 is the clean end (ᾱ = 1).
/// </summary>
/// <param name="clipToPixelRange">Clip the clean estimate to -1..1: right for pixels, wrong for latents.</param>
public sealed class EpsilonObjective(DiffusionSchedule schedule, bool clipToPixelRange) : DenoisingObjective
{
    public override DenoisingObjectiveKind Kind => DenoisingObjectiveKind.Epsilon;

    public override double[] SamplingLevels(int steps) => [.. schedule.SamplingTimesteps(steps).Select(t => (double)t), -1];

    public override double SignalCoefficient(double level) => Math.Sqrt(schedule.AlphaCumulative((int)level));

    public override double NoiseCoefficient(double level) => Math.Sqrt(1 - schedule.AlphaCumulative((int)level));

    public override Tensor SignalCoefficients(Tensor levels) => AlphaBar(levels).sqrt();

    public override double ModelTime(double level) => level;

    public override Tensor ModelTimes(Tensor levels) => levels;

    public override Tensor TrainingLevels(long batch, Generator generator) =>
        randint(0, schedule.TrainTimesteps, [batch], dtype: ScalarType.Int64, generator: generator).to(ScalarType.Float32);

    public override Tensor AddNoise(Tensor clean, Tensor noise, Tensor levels)
    {
        var alpha = AlphaBar(levels);
        return (alpha.sqrt() * clean) + ((1 - alpha).sqrt() * noise);
    }

    public override Tensor Target(Tensor clean, Tensor noise, Tensor levels) => noise;

    public override Tensor CleanEstimate(Tensor noisy, Tensor prediction, Tensor levels)
    {
        var alpha = AlphaBar(levels);
        return (noisy - ((1 - alpha).sqrt() * prediction)) / alpha.sqrt();
    }

    public override (Tensor Next, Tensor Clean) Step(Tensor x, Tensor prediction, double level, double next)
    {
        double alpha = schedule.AlphaCumulative((int)level), alphaNext = schedule.AlphaCumulative((int)next);
        // Scalars held until the calls return (see Runtime.Scalars).
        using var signal = Math.Sqrt(alpha).ToScalar();
        using var minusNoise = (-Math.Sqrt(1 - alpha)).ToScalar();
        using var noiseShare = Math.Sqrt(1 - alpha).ToScalar();
        using var minusSignal = (-Math.Sqrt(alpha)).ToScalar();
        using var nextSignal = Math.Sqrt(alphaNext).ToScalar();
        using var nextNoise = Math.Sqrt(1 - alphaNext).ToScalar();
        var clean = x.add(prediction, minusNoise).div(signal);
        clean = clipToPixelRange ? clean.clamp(Scalars.MinusOne, Scalars.One) : clean;
        var noise = x.add(clean, minusSignal).div(noiseShare);
        return (clean.mul(nextSignal).add(noise, nextNoise), clean);
    }

    /// <summary>ᾱ at each level, shaped like <paramref name="levels"/>.</summary>
    private Tensor AlphaBar(Tensor levels)
    {
        var table = tensor(Enumerable.Range(0, schedule.TrainTimesteps).Select(t => (float)schedule.AlphaCumulative(t)).ToArray(), device: levels.device);
        return table[levels.to(ScalarType.Int64).flatten()].view(levels.shape);
    }
}
