using System.Diagnostics;
using System.Text.Json.Serialization;
using Likeness.Model.Identity;
using Likeness.Model.Runtime;
using Likeness.Model.Weights;
using Likeness.Training.Cast;
using Likeness.Training.Data;
using static TorchSharp.torch;

namespace Likeness.Training.Backbone;

/// <summary>Settings of one backbone training run; every run with the same settings gives the same weights.</summary>
public sealed record BackboneTrainingSettings
{
    public int CastSeed { get; init; } = 7;

    /// <summary>Identity ids 0..CastSize-1; the held-out tenth is never trained on.</summary>
    public int CastSize { get; init; } = 1000;

    public int Steps { get; init; } = 1500;

    public int BatchSize { get; init; } = 32;

    public double LearningRate { get; init; } = 2e-3;

    public long Seed { get; init; } = 1;

    public IReadOnlyList<int> Widths { get; init; } = [32, 64, 128, 256];

    public int InputSize { get; init; } = 112;
}

/// <summary>What a backbone manifest's config holds: enough to rebuild the network, and how well it did.</summary>
public sealed record BackboneConfig
{
    [JsonPropertyName("input_size")]
    public required int InputSize { get; init; }

    [JsonPropertyName("backbone_widths")]
    public required IReadOnlyList<int> Widths { get; init; }

    [JsonPropertyName("held_out_top1")]
    public double HeldOutTop1 { get; init; }

    [JsonPropertyName("steps")]
    public int Steps { get; init; }

    /// <summary>Loads a trained backbone after checking its sha256.</summary>
    public static (ConvFaceBackbone Backbone, ModelManifest Manifest) Load(string manifestPath) =>
        ModelWeights.Load<ConvFaceBackbone, BackboneConfig>(manifestPath, config => new ConvFaceBackbone("backbone", config.InputSize, config.Widths));
}

/// <summary>One logged point of a run.</summary>
public sealed record TrainingProgress(int Step, double Loss, double Accuracy, TimeSpan Elapsed);

/// <summary>
/// Trains the face backbone f to tell cast members apart across pose, expression, light and backdrop: a cosine
/// classifier with an additive margin (CosFace) over the training identities, AdamW, warm-up then cosine decay.
/// </summary>
public static class BackboneTraining
{
    private const double Scale = 16;
    private const double Margin = 0.2;

    public static ConvFaceBackbone Train(BackboneTrainingSettings settings, Action<TrainingProgress> report)
    {
        TorchRuntime.EnsureLoaded();
        var cast = new ProceduralCast(settings.CastSeed);
        var identities = cast.Training(settings.CastSize).Select(c => c.Id).ToArray();
        var samples = new FaceSamples(cast, settings.InputSize);
        var (backbone, classes) = ModelWeights.Seeded(settings.Seed, () =>
            (new ConvFaceBackbone("backbone", settings.InputSize, settings.Widths), nn.Parameter(randn(identities.Length, FaceBackbone.FeatureDim) * 0.01)));
        backbone.train();
        using var optimizer = optim.AdamW(backbone.parameters().Append(classes), lr: settings.LearningRate, weight_decay: 1e-4);
        var random = new Random((int)settings.Seed);
        var started = Stopwatch.GetTimestamp();
        for (var step = 1; step <= settings.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var labels = Enumerable.Range(0, settings.BatchSize).Select(_ => random.Next(identities.Length)).ToArray();
            var crops = labels.SelectMany(label => samples.Sample(identities[label], random)).ToArray();
            var images = tensor(crops, [settings.BatchSize, 3, settings.InputSize, settings.InputSize]);
            var target = tensor(labels.Select(l => (long)l).ToArray());

            var embedding = nn.functional.normalize(backbone.call(images)[.., 0], dim: 1);
            var cosine = embedding.matmul(nn.functional.normalize(classes, dim: 1).t());
            var margin = nn.functional.one_hot(target, identities.Length).to(ScalarType.Float32) * Margin;
            var loss = nn.functional.cross_entropy((cosine - margin) * Scale, target);

            if (!float.IsFinite(loss.item<float>()))
            {
                throw new InvalidOperationException($"The loss is not finite at step {step}.");
            }

            optimizer.zero_grad();
            loss.backward();
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = WarmupCosine(settings.LearningRate, step, settings.Steps);
            }

            optimizer.step();
            if (step == 1 || step % 25 == 0 || step == settings.Steps)
            {
                var accuracy = cosine.argmax(1).eq(target).to(ScalarType.Float32).mean().item<float>();
                report(new TrainingProgress(step, loss.item<float>(), accuracy, Stopwatch.GetElapsedTime(started)));
            }
        }

        backbone.eval();
        classes.Dispose();
        return backbone;
    }

    /// <summary>Linear warm-up over the first 5% of steps (at least 10), then cosine decay to zero.</summary>
    public static double WarmupCosine(double peak, int step, int steps)
    {
        var warmup = Math.Max(10, steps / 20);
        return step <= warmup
            ? peak * step / warmup
            : peak * 0.5 * (1 + Math.Cos(Math.PI * (step - warmup) / Math.Max(1, steps - warmup)));
    }
}
