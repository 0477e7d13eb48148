using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Likeness.Model.Generation.Sampling;
using Likeness.Model.Weights;
using Likeness.Training.Video;

namespace Likeness.Trainer.Commands;

/// <summary>
/// <c>likeness-train train-video</c>: trains the identity encoder's projection and bank with the video denoiser on top of a
/// trained face backbone (and frame autoencoder), writing at every checkpoint the averaged family to <c>OUT/ema</c> (what
/// ships) and the live weights to <c>OUT/live</c> (what a resumed run goes on from).
/// </summary>
internal static class TrainVideoCommand
{
    private const string CheckpointFile = "checkpoint.json";

    public static Command Create()
    {
        var defaults = new VideoTrainingSettings();
        var steps = TrainerOptions.Number("--steps", defaults.Steps, "All optimiser steps, image pre-training included.", minimum: 1);
        var imageSteps = TrainerOptions.Number("--image-steps", defaults.ImageSteps, "Steps on single frames before the clips.", minimum: 0);
        var cast = TrainerOptions.Number("--cast", defaults.CastSize, "Cast ids 0..N-1 (every tenth is held out).", minimum: 20);
        var batch = TrainerOptions.Number("--batch", defaults.BatchSize, "Clips per clip step.", minimum: 1);
        var imageBatch = TrainerOptions.Number("--image-batch", defaults.ImageBatchSize, "Frames per image step.", minimum: 1);
        var seed = TrainerOptions.Number("--seed", (int)defaults.Seed, "Seed of the initialisation and the data stream.");
        var every = TrainerOptions.Number("--checkpoint-every", defaults.CheckpointEvery, "Steps between checkpoints.", minimum: 1);
        var width = TrainerOptions.Number("--width", defaults.Video.Width, "Transformer width.", minimum: 16);
        var faceWeight = new Option<float>("--face-weight")
        {
            Description = "Extra weight of face cells in the loss: a face cell counts 1 + this (0: none).", DefaultValueFactory = _ => defaults.FaceLossWeight,
        };
        faceWeight.Validators.Add(result =>
        {
            if (!(result.GetValueOrDefault<float>() >= 0))
            {
                result.AddError("--face-weight must be 0 or more.");
            }
        });
        var objective = new Option<DenoisingObjectiveKind>("--objective")
        {
            Description = "What the denoiser predicts: RectifiedFlow (velocity) or Epsilon (noise, DDPM/DDIM).",
            DefaultValueFactory = _ => defaults.Video.Objective,
        };
        var sameClip = new Option<bool>("--references-from-target-clip") { Description = "Ablation: cut references from the target clip itself." };
        var plainReferences = new Option<bool>("--plain-references") { Description = "Ablation: references as rendered, without exposure, blur and JPEG augmentation." };
        var contextShare = new Option<double>("--context-share")
        {
            Description = "Share of clips trained as continuations: their first frames given, nearly clean, and left out of the loss (diffusion forcing). Default 0.",
            DefaultValueFactory = _ => defaults.ContextShare,
        };
        contextShare.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is not (>= 0 and <= 1))
            {
                result.AddError("--context-share must be within 0..1.");
            }
        });
        var emaDecay = new Option<double>("--ema-decay") { Description = "Decay of the weights' moving average.", DefaultValueFactory = _ => defaults.EmaDecay };
        var backbone = TrainerOptions.Text("--backbone", "out/training/face-backbone/face-backbone.manifest.json", "The trained face backbone f.");
        var autoencoder = TrainerOptions.Text("--autoencoder", "out/training/autoencoder/autoencoder.manifest.json",
            "The trained frame autoencoder; 'none' trains in pixel space.");
        var output = TrainerOptions.Text("--out", "out/training/family", "Checkpoint folder.");
        var resume = TrainerOptions.Text("--resume", "", "A checkpoint folder (an earlier --out) to go on from.");
        var command = new Command("train-video", "Train the identity encoder's bank with the video denoiser on cast frames and clips.")
        {
            steps, imageSteps, cast, batch, imageBatch, seed, every, width, faceWeight, objective, contextShare, emaDecay, sameClip, plainReferences, backbone, autoencoder, output, resume,
        };
        command.SetAction(parse =>
        {
            var settings = defaults with
            {
                Steps = parse.GetValue(steps),
                ImageSteps = parse.GetValue(imageSteps),
                CastSize = parse.GetValue(cast),
                BatchSize = parse.GetValue(batch),
                ImageBatchSize = parse.GetValue(imageBatch),
                Seed = parse.GetValue(seed),
                CheckpointEvery = parse.GetValue(every),
                FaceLossWeight = parse.GetValue(faceWeight),
                EmaDecay = parse.GetValue(emaDecay),
                ReferencesFromTargetClip = parse.GetValue(sameClip),
                AugmentReferences = !parse.GetValue(plainReferences),
                ContextShare = parse.GetValue(contextShare),
                Video = defaults.Video with { Width = parse.GetValue(width), Objective = parse.GetValue(objective) },
            };
            var autoencoderPath = parse.GetValue(autoencoder)!;
            var resumeFolder = parse.GetValue(resume)!;
            return Run(settings, parse.GetValue(backbone)!, autoencoderPath == "none" ? null : autoencoderPath, parse.GetValue(output)!,
                resumeFolder.Length == 0 ? null : ReadCheckpoint(resumeFolder));
        });
        return command;
    }

    private static TrainingCheckpoint ReadCheckpoint(string folder)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, CheckpointFile)));
        string Live(string name) => Path.Combine(folder, "live", $"{name}.manifest.json");
        string Ema(string name) => Path.Combine(folder, "ema", $"{name}.manifest.json");
        return new TrainingCheckpoint(Live("identity"), Live("video"), Ema("identity"), Ema("video"), json.RootElement.GetProperty("step").GetInt32());
    }

    private static int Run(VideoTrainingSettings settings, string backbone, string? autoencoder, string output, TrainingCheckpoint? resume)
    {
        if (resume is not null)
        {
            Console.WriteLine($"Resuming from the checkpoint at step {resume.Step}");
        }

        var side = settings.Video.MaxSide;
        Console.WriteLine($"Training the identity encoder with the video denoiser ({settings.Video.Objective}, width {settings.Video.Width}): " +
            $"{settings.ImageSteps} image steps of {settings.ImageBatchSize} frames, then {settings.Steps - settings.ImageSteps} steps of " +
            $"{settings.BatchSize} clips of {settings.ClipFrames} frames of {side}×{side}, backbone {backbone}, " +
            $"{(autoencoder is null ? "pixel space" : $"autoencoder {autoencoder}")}, on {Environment.ProcessorCount} cores");
        var suffix = $"cast{settings.CastSeed}-s{settings.Seed}-n{settings.Steps}";
        var (identity, video) = VideoTraining.Train(settings, backbone, autoencoder,
            p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  step {p.Step,5}  diffusion {p.DiffusionLoss,7:0.0000}  identity {p.IdentityLoss,7:0.0000}  {p.Elapsed.TotalMinutes,6:0.0} min")),
            state =>
            {
                var trained = $"{suffix}{(state.Step == settings.Steps ? "" : $"-at{state.Step}")}";
                Save(Path.Combine(output, "live"), state.Identity, state.Video, trained, autoencoder);
                Save(Path.Combine(output, "ema"), state.EmaIdentity, state.EmaVideo, trained, autoencoder);
                File.WriteAllText(Path.Combine(output, CheckpointFile), JsonSerializer.Serialize(new { step = state.Step }));
                Console.WriteLine($"  checkpoint at step {state.Step} written to {output} (ema/ ships, live/ resumes)");
            },
            resume);
        identity.Dispose();
        video.Dispose();
        return 0;
    }

    /// <summary>One self-contained family folder: identity, video and the autoencoder the video model names.</summary>
    private static void Save(string folder, Likeness.Model.Identity.IdentityModel identity, Likeness.Model.Generation.VideoDenoiser video, string trained, string? autoencoder)
    {
        ModelWeights.Save(identity, folder, "identity", $"likeness-identity-v2-{trained}", trained: true, identity.Config);
        ModelWeights.Save(video, folder, "video", $"likeness-video-v2-{trained}", trained: true, video.Config);
        if (autoencoder is not null)
        {
            var (manifest, weights) = ModelManifest.ReadVerified(autoencoder);
            File.Copy(autoencoder, Path.Combine(folder, Path.GetFileName(autoencoder)), overwrite: true);
            File.Copy(weights, Path.Combine(folder, manifest.Weights), overwrite: true);
        }
    }
}
