using System.Diagnostics;
using static TorchSharp.torch;

namespace Likeness.Model.Generation.Sampling;

/// <summary>What the sampler reports after each step, in the denoiser's own space (pixels or latents).</summary>
/// <param name="Step">1-based step just finished.</param>
/// <param name="Clean">The clean estimate at this step, [batch, …] like x; owned by the step's dispose scope.</param>
public sealed record DenoisingStep(int Step, int TotalSteps, TimeSpan Elapsed, Tensor Clean);

/// <summary>The sampling loop every objective shares: predict, step, report, from the noisiest level to the clean end.</summary>
public static class DenoisingLoop
{
    /// <summary>Walks <paramref name="noise"/> to a clean sample in <paramref name="steps"/> steps.</summary>
    /// <param name="noise">x at the first level: pure N(0, 1) noise for an objective with zero terminal SNR.</param>
    /// <param name="predict">The denoiser's prediction for x at a level (the objective's units), shaped like x.</param>
    /// <param name="onStep">Called after every step; the clean estimate it gets is disposed when it returns.</param>
    /// <param name="known">
    /// Frames given rather than made (a clip to continue): before every prediction and after the last step, x is passed
    /// through it with the level it is at, and it returns x with those frames set to the given ones noised to that level
    /// (the replacement method of Ho et al. 2022, "Video Diffusion Models", §3.1), so the sample ends on them exactly and
    /// the made frames are denoised beside them. Null: every frame is made.
    /// </param>
    /// <returns>The sample, shaped like <paramref name="noise"/>, in the caller's dispose scope.</returns>
    /// <exception cref="OperationCanceledException">Checked before every step.</exception>
    public static Tensor Run(
        DenoisingObjective objective, Tensor noise, int steps, Func<Tensor, double, Tensor> predict, Action<DenoisingStep> onStep,
        CancellationToken cancellationToken, Func<Tensor, double, Tensor>? known = null)
    {
        var levels = objective.SamplingLevels(steps);
        var x = noise;
        for (var i = 0; i < steps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            using var stepScope = NewDisposeScope();
            var input = known is null ? x : known(x, levels[i]);
            var (next, clean) = objective.Step(input, predict(input, levels[i]), levels[i], levels[i + 1]);
            if (known is not null && i == steps - 1)
            {
                next = known(next, levels[i + 1]);
            }

            var previous = x;
            x = stepScope.MoveToOuter(next);
            if (!ReferenceEquals(previous, noise))
            {
                previous.Dispose();   // the last step's sample; only the caller's noise and the newest sample stay alive
            }

            onStep(new DenoisingStep(i + 1, steps, Stopwatch.GetElapsedTime(started), clean));
        }

        return x;
    }
}
