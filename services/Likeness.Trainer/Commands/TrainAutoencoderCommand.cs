using System.CommandLine;
using System.Globalization;
using Likeness.Media;
using Likeness.Model.Latents;
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
        var latentNoise = new Option<float>("--latent-noise") { Description = "With --measure: σ of noise added to the latents before decoding." };
        var fineTune = TrainerOptions.Text("--fine-tune-decoder", "",
            "Fine-tune this trained autoencoder's decoder alone on latents with noise up to --latent-noise (encoder and latent space unchanged).");
        var measure = TrainerOptions.Text("--measure", "", "Measure a trained autoencoder's manifest (error and reconstruction sheet) instead of training.");
        var command = new Command("train-autoencoder", "Train the frame autoencoder (64×64×3 → 16×16×4) on cast frames.")
        {
            steps, batch, seed, side, output, measure, latentNoise, fineTune,
        };
        command.SetAction(parse =>
        {
            var settings = defaults with { Steps = parse.GetValue(steps), BatchSize = parse.GetValue(batch), Seed = parse.GetValue(seed), Side = parse.GetValue(side) };
            if (parse.GetValue(measure) is { Length: > 0 } manifest)
            {
                using var trained = ModelWeights.Load<FrameAutoencoder, AutoencoderConfig>(manifest, c => new FrameAutoencoder(c)).Module;
                trained.eval();
                Report(trained, settings, Path.GetDirectoryName(Path.GetFullPath(manifest))!, parse.GetValue(latentNoise));
                return 0;
            }

            if (parse.GetValue(fineTune) is { Length: > 0 } source)
            {
                return FineTune(source, settings with { LearningRate = 5e-4 }, parse.GetValue(latentNoise), parse.GetValue(output)!);
            }

            return Run(settings, parse.GetValue(output)!);
        });
        return command;
    }

    private static int Run(AutoencoderTrainingSettings settings, string output)
    {
        var widths = string.Join(',', settings.Autoencoder.Widths);
        Console.WriteLine($"Training the frame autoencoder: {settings.Steps} steps of {settings.BatchSize} frames of {settings.Side}×{settings.Side}, " +
            $"widths {widths}, {settings.Autoencoder.LatentChannels} latent channels, on {Environment.ProcessorCount} cores");
        using var model = AutoencoderTraining.Train(settings, p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  step {p.Step,5}  loss {p.Loss,7:0.0000}  {p.Elapsed.TotalMinutes,6:0.0} min")));
        var modelId = $"likeness-autoencoder-v1-cast{settings.CastSeed}-s{settings.Seed}-n{settings.Steps}";
        var manifest = ModelWeights.Save(model, output, "autoencoder", modelId, trained: true, model.Config);
        Console.WriteLine($"Wrote {manifest}");
        Report(model, settings, output);
        return 0;
    }

    private static int FineTune(string source, AutoencoderTrainingSettings settings, float maxNoise, string output)
    {
        var (model, manifest) = ModelWeights.Load<FrameAutoencoder, AutoencoderConfig>(source, c => new FrameAutoencoder(c));
        using (model)
        {
            Console.WriteLine($"Fine-tuning the decoder of {manifest.ModelId}: {settings.Steps} steps of {settings.BatchSize} frames, latent noise σ up to {maxNoise}");
            AutoencoderTraining.FineTuneDecoder(model, settings, maxNoise, p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  step {p.Step,5}  loss {p.Loss,7:0.0000}  {p.Elapsed.TotalMinutes,6:0.0} min")));
            var modelId = string.Create(CultureInfo.InvariantCulture, $"{manifest.ModelId}-decoder-noise{maxNoise:0.##}-n{settings.Steps}");
            Console.WriteLine($"Wrote {ModelWeights.Save(model, output, "autoencoder", modelId, trained: true, model.Config)}");
            Report(model, settings, output);
            Report(model, settings, output, latentNoise: 0.3f);
        }

        return 0;
    }

    /// <summary>Prints the held-out reconstruction error and writes <c>reconstructions.png</c> into <paramref name="output"/>.</summary>
    private static void Report(FrameAutoencoder model, AutoencoderTrainingSettings settings, string output, float latentNoise = 0)
    {
        var error = AutoencoderTraining.Measure(model, settings.CastSeed, settings.CastSize, frames: 256, settings.Side, latentNoise);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Held-out reconstruction over {error.Frames} frames: MSE {error.MeanSquaredError:0.00000} (PSNR {error.Psnr:0.00} dB), face MSE {error.FaceMeanSquaredError:0.00000}; " +
            $"latent shift {model.Config.ShiftFactor:0.0000}, scale {model.Config.ScalingFactor:0.0000}"));
        var sheet = Path.Combine(output, latentNoise > 0 ? $"reconstructions-noise{latentNoise:0.###}.png" : "reconstructions.png");
        File.WriteAllBytes(sheet, FrameImages.ContactSheet(AutoencoderTraining.Pairs(model, settings.CastSeed, settings.CastSize, 16, settings.Side, latentNoise),
            settings.Side, settings.Side, tileSide: 2 * settings.Side, columns: 8));
        Console.WriteLine($"Wrote {sheet} (held-out frames, each beside its reconstruction)");
    }
}
