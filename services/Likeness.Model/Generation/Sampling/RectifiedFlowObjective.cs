using TorchSharp;
using static TorchSharp.torch;

namespace Likeness.Model.Generation.Sampling;

/// <summary>
/// Rectified flow: x_t = (1 − t)·x0 + t·ε, velocity target v = ε − x0, Euler steps x_{t'} = x_t + (t' − t)·v̂ over an
/// evenly spaced grid from t = 1 (pure noise: zero terminal SNR by construction) to t = 0. Training draws t logit-normal
/// (t = sigmoid(n), n ~ N(0, 1)), which Esser et al. 2024 (SD3, §3.1) found best among their timestep samplers.
/// </summary>
public sealed class RectifiedFlowObjective : DenoisingObjective
{
    /// <summary>t is scaled to the range of DDPM timesteps before the sinusoidal embedding, as SD3's reference code does.</summary>
    public const double TimeScale = 1000;

    public override DenoisingObjectiveKind Kind => DenoisingObjectiveKind.RectifiedFlow;

    public override double[] SamplingLevels(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        return Enumerable.Range(0, steps + 1).Select(i => 1 - (i / (double)steps)).ToArray();
    }

    public override double SignalCoefficient(double level) => 1 - level;

    public override double NoiseCoefficient(double level) => level;

    public override Tensor SignalCoefficients(Tensor levels) => 1 - levels;

    public override double ModelTime(double level) => level * TimeScale;

    public override Tensor ModelTimes(Tensor levels) => levels * TimeScale;

    public override Tensor TrainingLevels(long batch, Generator generator) =>
        sigmoid(randn([batch], generator: generator));

    public override Tensor AddNoise(Tensor clean, Tensor noise, Tensor levels) => ((1 - levels) * clean) + (levels * noise);

    public override Tensor Target(Tensor clean, Tensor noise, Tensor levels) => noise - clean;

    public override Tensor CleanEstimate(Tensor noisy, Tensor prediction, Tensor levels) => noisy - (levels * prediction);

    public override (Tensor Next, Tensor Clean) Step(Tensor x, Tensor prediction, double level, double next)
    {
        // x + α·v in one op; the Scalars are held until the calls return (see Runtime.Scalars).
        using var stepSize = (next - level).ToScalar();
        using var toClean = (-level).ToScalar();
        return (x.add(prediction, stepSize), x.add(prediction, toClean));
    }
}
