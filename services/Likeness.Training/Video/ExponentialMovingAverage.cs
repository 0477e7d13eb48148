using static TorchSharp.torch;

namespace Likeness.Training.Video;

/// <summary>
/// An exponential moving average of a module's trainable parameters kept in a twin module, the weights that ship
/// (Polyak averaging; the warm-up min(decay, (1 + n) / (10 + n)) is the one of TensorFlow's ExponentialMovingAverage
/// with num_updates, which keeps the first steps from being dominated by the random initialisation).
/// </summary>
public sealed class ExponentialMovingAverage
{
    private readonly List<(Tensor Average, Tensor Live)> pairs;
    private readonly double decay;

    /// <param name="live">The module being trained.</param>
    /// <param name="average">A module of the same architecture; its parameters are overwritten with the live ones.</param>
    public ExponentialMovingAverage(nn.Module live, nn.Module average, double decay)
    {
        this.decay = decay;
        var averaged = average.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        pairs = [.. live.named_parameters().Where(p => p.parameter.requires_grad).Select(p => ((Tensor)averaged[p.name], (Tensor)p.parameter))];
        using var noGrad = no_grad();
        foreach (var (a, l) in pairs)
        {
            a.requires_grad = false;
            a.copy_(l);
        }
    }

    /// <summary>average ← d·average + (1 − d)·live, after optimiser step <paramref name="updates"/>.</summary>
    public void Update(int updates)
    {
        var d = Math.Min(decay, (1.0 + updates) / (10.0 + updates));
        using var noGrad = no_grad();
        foreach (var (a, l) in pairs)
        {
            a.mul_(d).add_(l, alpha: 1 - d);
        }
    }
}
