using System.CommandLine;
using System.Globalization;
using Likeness.Model.Weights;
using Likeness.Training.Autoencoder;

namespace Likeness.Trainer.Commands;

/// <summary>
/// <c>likeness-train train-autoencoder</c>: trains the frame autoencoder the video denoiser works through, reports its
/// reconstruction error on held-out characters and writes safetensors + manifest.
/// </summary>
internal static class TrainAutoencoderCommand
{
    public static Command Create()
    {
        var defaults = new AutoencoderTrainingSettings();
        var steps = TrainerOptions.Number("--steps", defaults.Steps, "Optimiser steps.", minimum: 1);
        var batch = TrainerOptions.Number("--batch", defaults.BatchSize, "Frames per step.", minimum: 1);
        var seed = TrainerOptions.Number("--seed", (int)defaults.Seed, "Seed of the initialisation and the data stream.");
        var side = TrainerOptions.Number("--side", defaults.Side, "Frame side in pixels.", minimum: 16);
        var output = TrainerOptions.Text("--out", "out/training/autoencoder", "Folder for autoencoder.safetensors and its manifest.");
        var command = new Command("train-autoencoder", "Train the frame autoencoder (64×64×3 → 16×16×4) on cast frames.")
        {
            steps, batch, seed, side, output,
        };
        command.SetAction(parse => Run(
            defaults with { Steps = parse.GetValue(steps), BatchSize = parse.GetValue(batch), Seed = parse.GetValue(seed), Side = parse.GetValue(side) },
            parse.GetValue(output)!));
        return command;
    }

    private static int Run(AutoencoderTrainingSettings settings, string output)
    {
        var widths = string.Join(',', settings.Autoencoder.Widths);
        Console.WriteLine($"Training the frame autoencoder: {settings.Steps} steps of {settings.BatchSize} frames of {settings.Side}×{settings.Side}, " +
            $"widths {widths}, {settings.Autoencoder.LatentChannels} latent channels, on {Environment.ProcessorCount} cores");
        using var model = AutoencoderTraining.Train(settings, p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  step {p.Step,5}  loss {p.Loss,7:0.0000}  {p.Elapsed.TotalMinutes,6:0.0} min")));
        var error = AutoencoderTraining.Measure(model, settings.CastSeed, settings.CastSize, frames: 256, settings.Side);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Held-out reconstruction over {error.Frames} frames: MSE {error.MeanSquaredError:0.00000} (PSNR {error.Psnr:0.00} dB), face MSE {error.FaceMeanSquaredError:0.00000}; " +
            $"latent shift {model.Config.ShiftFactor:0.0000}, scale {model.Config.ScalingFactor:0.0000}"));
        var modelId = $"likeness-autoencoder-v1-cast{settings.CastSeed}-s{settings.Seed}-n{settings.Steps}";
        var manifest = ModelWeights.Save(model, output, "autoencoder", modelId, trained: true, model.Config);
        Console.WriteLine($"Wrote {manifest}");
        return 0;
    }
}
