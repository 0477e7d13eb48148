using System.Globalization;
using System.Text.Json;
using Likeness.Model.Weights;
using Likeness.Training.Video;

namespace Likeness.Cli.Commands;

/// <summary>
/// <c>likeness train-video</c>: trains the identity encoder's projection and bank with the video denoiser on top of a
/// trained face backbone, writing the identity and video models (safetensors + manifest) at every checkpoint.
/// </summary>
internal static class TrainVideoCommand
{
    public static Func<int> Bind(CommandLine options)
    {
        var defaults = new VideoTrainingSettings();
        var settings = defaults with
        {
            Steps = options.Number("--steps", defaults.Steps, minimum: 1),
            CastSize = options.Number("--cast", defaults.CastSize, minimum: 20),
            BatchSize = options.Number("--batch", defaults.BatchSize, minimum: 1),
            Seed = options.Number("--seed", (int)defaults.Seed),
            CheckpointEvery = options.Number("--checkpoint-every", defaults.CheckpointEvery, minimum: 1),
        };
        var backbone = options.Text("--backbone", "out/training/face-backbone/face-backbone.manifest.json");
        var output = options.Text("--out", "out/training/family");
        var resume = options.Text("--resume", "");
        return () => Run(settings, backbone, output, resume.Length == 0 ? null : ReadCheckpoint(resume));
    }

    private const string CheckpointFile = "checkpoint.json";

    private static TrainingCheckpoint ReadCheckpoint(string folder)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, CheckpointFile)));
        var step = json.RootElement.GetProperty("step").GetInt32();
        return new TrainingCheckpoint(Path.Combine(folder, "identity.manifest.json"), Path.Combine(folder, "video.manifest.json"), step);
    }

    private static int Run(VideoTrainingSettings settings, string backbone, string output, TrainingCheckpoint? resume)
    {
        if (resume is not null)
        {
            Console.WriteLine($"Resuming from the checkpoint at step {resume.Step}");
        }

        Console.WriteLine($"Training the identity encoder with the video denoiser: {settings.Steps} steps of {settings.BatchSize} clips " +
            $"({settings.Video.MaxFrames} frames of {settings.Video.MaxSide}×{settings.Video.MaxSide}), backbone {backbone}, on {Environment.ProcessorCount} cores");
        var suffix = $"cast{settings.CastSeed}-s{settings.Seed}-n{settings.Steps}";
        var (identity, video) = VideoTraining.Train(settings, backbone,
            p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  step {p.Step,5}  diffusion {p.DiffusionLoss,7:0.0000}  identity {p.IdentityLoss,7:0.0000}  {p.Elapsed.TotalMinutes,6:0.0} min")),
            (identityModel, videoModel, step) =>
            {
                var trained = $"{suffix}{(step == settings.Steps ? "" : $"-at{step}")}";
                ModelWeights.Save(identityModel, output, "identity", $"likeness-identity-v1-{trained}", trained: true, identityModel.Config);
                ModelWeights.Save(videoModel, output, "video", $"likeness-video-v1-{trained}", trained: true, videoModel.Config);
                File.WriteAllText(Path.Combine(output, CheckpointFile), JsonSerializer.Serialize(new { step }));
                Console.WriteLine($"  checkpoint at step {step} written to {output}");
            },
            resume);
        identity.Dispose();
        video.Dispose();
        return 0;
    }
}
