using System.Diagnostics;
using Likeness.Training.Backbone;
using static TorchSharp.torch;

namespace Likeness.Training;

/// <summary>What the single-loss trainers do with a step's loss: check it, back-propagate, schedule the rate, step, log.</summary>
internal static class OptimiserStep
{
    /// <param name="started">Stopwatch timestamp of the run's start, for the elapsed time in the log.</param>
    /// <exception cref="InvalidOperationException">The loss is not finite.</exception>
    public static void Take(
        optim.Optimizer optimizer, Tensor loss, int step, int steps, double peakLearningRate, long started, Action<LossProgress> report)
    {
        var value = loss.item<float>();
        if (!float.IsFinite(value))
        {
            throw new InvalidOperationException($"The loss is not finite at step {step}.");
        }

        optimizer.zero_grad();
        loss.backward();
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = BackboneTraining.WarmupCosine(peakLearningRate, step, steps);
        }

        optimizer.step();
        if (step == 1 || step % 25 == 0 || step == steps)
        {
            report(new LossProgress(step, value, Stopwatch.GetElapsedTime(started)));
        }
    }
}
