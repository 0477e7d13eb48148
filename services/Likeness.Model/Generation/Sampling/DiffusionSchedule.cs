namespace Likeness.Model.Generation.Sampling;

/// <summary>The DDPM training schedule (linear betas) and deterministic DDIM sampling over it.</summary>
public sealed class DiffusionSchedule
{
    private readonly double[] alphasCumulative;

    public DiffusionSchedule(int trainTimesteps, double betaStart = 1e-4, double betaEnd = 0.02)
    {
        alphasCumulative = new double[trainTimesteps];
        var product = 1.0;
        for (var t = 0; t < trainTimesteps; t++)
        {
            var beta = betaStart + ((betaEnd - betaStart) * t / (trainTimesteps - 1));
            product *= 1 - beta;
            alphasCumulative[t] = product;
        }
    }

    public int TrainTimesteps => alphasCumulative.Length;

    /// <summary>ᾱ_t, the fraction of signal variance left at timestep t; 1 before the first step (t &lt; 0).</summary>
    public double AlphaCumulative(int t) => t < 0 ? 1.0 : alphasCumulative[t];

    /// <summary>The timesteps visited by <paramref name="steps"/> DDIM steps, from most to least noisy, evenly spaced and ending at 0.</summary>
    public int[] SamplingTimesteps(int steps)
    {
        if (steps < 1 || steps > TrainTimesteps)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), $"Between 1 and {TrainTimesteps} steps.");
        }

        return steps == 1
            ? [TrainTimesteps - 1]
            : Enumerable.Range(0, steps).Select(i => (int)Math.Round((TrainTimesteps - 1) * (1 - (i / (double)(steps - 1))))).ToArray();
    }
}
