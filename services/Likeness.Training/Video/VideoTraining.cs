using System.Diagnostics;
using Likeness.Model.Generation;
using Likeness.Model.Identity;
using Likeness.Model.Runtime;
using Likeness.Model.Weights;
using Likeness.Training.Backbone;
using Likeness.Training.Cast;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Likeness.Training.Video;

/// <summary>Settings of one joint training run; every run with the same settings and backbone gives the same weights.</summary>
public sealed record VideoTrainingSettings
{
    public int CastSeed { get; init; } = 7;

    /// <summary>Identity ids 0..CastSize-1; the held-out tenth is never trained on.</summary>
    public int CastSize { get; init; } = 2000;

    public int Steps { get; init; } = 3000;

    /// <summary>Clips per step.</summary>
    public int BatchSize { get; init; } = 8;

    public double LearningRate { get; init; } = 5e-4;

    public long Seed { get; init; } = 1;

    /// <summary>Share of steps whose clips hold two characters; the rest hold one.</summary>
    public double PairShare { get; init; } = 0.25;

    /// <summary>Weight λ of the identity preservation loss next to the diffusion loss.</summary>
    public double IdentityLossWeight { get; init; } = 0.1;

    /// <summary>Share of clips trained without identity, and independently without text, for classifier-free guidance.</summary>
    public double ConditionDropout { get; init; } = 0.1;

    /// <summary>Steps between checkpoints written to the output folder.</summary>
    public int CheckpointEvery { get; init; } = 500;

    public VideoModelConfig Video { get; init; } = new()
    {
        Width = 128, Blocks = 4, Heads = 4, PatchSize = 4, MaxSide = 32, MaxFrames = 8,
        IdentityDim = 128, IdentityTokens = 16, MaxCharacters = 2,
    };

    /// <summary>Token width and count must match <see cref="Video"/>; the backbone fields come from the trained backbone.</summary>
    public IdentityModelConfig Identity { get; init; } = new() { TokenDim = 128, IdentityTokens = 16, AttentionHeads = 4 };
}

/// <summary>Where a joint run left off: its identity and video manifests and the step they were written at.</summary>
public sealed record TrainingCheckpoint(string IdentityManifest, string VideoManifest, int Step);

/// <summary>One logged point of a joint run.</summary>
public sealed record VideoTrainingProgress(int Step, double DiffusionLoss, double IdentityLoss, TimeSpan Elapsed);

/// <summary>
/// Trains the identity encoder's projection and identity bank together with the video denoiser, on cast clips: the
/// diffusion loss (predicted against true noise) plus λ × the seed's identity preservation loss on the frames the
/// denoiser implies, <c>mean_t ||f(v̂_t) − f(ref)||² + 0.5 · mean_t ||f(v̂_t) − f(v̂_{t+1})||²</c> over L2-normalised
/// embeddings of the frozen, already trained face backbone f, weighted by ᾱ_t because x̂0 means little at high noise.
/// </summary>
public static class VideoTraining
{
    /// <summary>Writes identity + video checkpoints through <paramref name="checkpoint"/> as it goes; returns both trained models.</summary>
    /// <param name="resume">
    /// A checkpoint to go on from (its identity and video manifests and the step it was written at): the weights are
    /// loaded, the learning-rate schedule continues from that step and the data stream is reseeded; the optimiser's
    /// moments start afresh.
    /// </param>
    /// <exception cref="InvalidOperationException">A loss stopped being finite.</exception>
    public static (IdentityModel Identity, VideoDenoiser Video) Train(
        VideoTrainingSettings settings, string backboneManifest, Action<VideoTrainingProgress> report, Action<IdentityModel, VideoDenoiser, int> checkpoint,
        TrainingCheckpoint? resume = null)
    {
        TorchRuntime.EnsureLoaded();
        var (backboneManifestRead, backboneWeights) = ModelManifest.ReadVerified(backboneManifest);
        var backboneShape = backboneManifestRead.ReadConfig<BackboneConfig>();
        var identityConfig = settings.Identity with { InputSize = backboneShape.InputSize, BackboneWidths = backboneShape.Widths };
        var videoConfig = settings.Video;
        if (identityConfig.TokenDim != videoConfig.IdentityDim || identityConfig.IdentityTokens != videoConfig.IdentityTokens)
        {
            throw new InvalidOperationException("The identity model's tokens must have the shape the video model accepts.");
        }

        var (identity, video) = ModelWeights.Seeded(settings.Seed, () => (new IdentityModel(identityConfig), new VideoDenoiser(videoConfig)));
        identity.Backbone.load_safetensors(backboneWeights, strict: true);
        if (resume is not null)
        {
            identity.load_safetensors(ModelManifest.ReadVerified(resume.IdentityManifest).WeightsPath, strict: true);
            video.load_safetensors(ModelManifest.ReadVerified(resume.VideoManifest).WeightsPath, strict: true);
        }

        foreach (var parameter in identity.Backbone.parameters())
        {
            parameter.requires_grad = false;
        }

        identity.train();
        video.train();
        var trainable = identity.parameters().Where(p => p.requires_grad).Concat(video.parameters()).ToList();
        using var optimizer = optim.AdamW(trainable, lr: settings.LearningRate, weight_decay: 0.01);

        var cast = new ProceduralCast(settings.CastSeed);
        var samples = new ClipSamples(cast, cast.Training(settings.CastSize).Select(c => c.Id).ToList(),
            videoConfig.MaxFrames, videoConfig.MaxSide, videoConfig.PatchSize, identityConfig.InputSize);
        var schedule = new DiffusionSchedule(videoConfig.TrainTimesteps);
        using var alphaBar = tensor(Enumerable.Range(0, schedule.TrainTimesteps).Select(t => (float)schedule.AlphaCumulative(t)).ToArray());
        var firstStep = (resume?.Step ?? 0) + 1;
        var random = new Random(Seeds.Derive(settings.Seed, firstStep));
        using var noiseGenerator = new TorchSharp.torch.Generator((ulong)settings.Seed + (ulong)firstStep);
        var started = Stopwatch.GetTimestamp();
        for (var step = firstStep; step <= settings.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var characters = random.NextDouble() < settings.PairShare ? 2 : 1;
            var batch = samples.Next(random, settings.BatchSize, characters);
            var (diffusionLoss, identityLoss) = Losses(identity, video, batch, alphaBar, random, noiseGenerator, settings);
            var loss = diffusionLoss + (settings.IdentityLossWeight * identityLoss);
            if (!float.IsFinite(loss.item<float>()))
            {
                throw new InvalidOperationException($"The loss is not finite at step {step}; the last checkpoint is the one to keep.");
            }

            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(trainable, 1.0);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = BackboneTraining.WarmupCosine(settings.LearningRate, step, settings.Steps);
            }

            optimizer.step();
            if (step == firstStep || step % 25 == 0 || step == settings.Steps)
            {
                report(new VideoTrainingProgress(step, diffusionLoss.item<float>(), identityLoss.item<float>(), Stopwatch.GetElapsedTime(started)));
            }

            if (step % settings.CheckpointEvery == 0 || step == settings.Steps)
            {
                identity.eval();
                video.eval();
                checkpoint(identity, video, step);
                identity.train();
                video.train();
            }
        }

        identity.eval();
        video.eval();
        return (identity, video);
    }

    private static (Tensor Diffusion, Tensor Identity) Losses(
        IdentityModel identity, VideoDenoiser video, ClipBatch batch, Tensor alphaBar, Random random, TorchSharp.torch.Generator noiseGenerator,
        VideoTrainingSettings settings)
    {
        var config = video.Config;
        int b = batch.Size, c = batch.Characters, f = batch.Frames, s = batch.Side, r = identity.Config.InputSize;
        var clean = tensor(batch.Clips, [b, f, 3, s, s]);
        var (tokens, referenceEmbedding) = identity.Encode(tensor(batch.References, [b * c, 3, r, r]));

        // Dropped conditions teach the unconditional branch classifier-free guidance subtracts.
        var keepIdentity = tensor(Enumerable.Range(0, b).Select(_ => random.NextDouble() < settings.ConditionDropout ? 0f : 1f).ToArray());
        var keepText = Enumerable.Range(0, b).Select(_ => random.NextDouble() >= settings.ConditionDropout).ToArray();
        var weight = tensor(batch.Regions, [b, c, batch.Regions.Length / (b * c)]) * keepIdentity.view(b, 1, 1);
        var firstSlot = c == 1 ? random.Next(config.MaxCharacters) : 0;
        var conditioning = video.IdentityBank.BuildBatch(tokens.view(b, c, config.IdentityTokens, config.IdentityDim), weight, firstSlot);
        var ids = batch.Captions
            .SelectMany((caption, i) => keepText[i] ? PromptTokenizer.Tokenize(caption, config.TextTokens, config.TextVocabulary) : new long[config.TextTokens])
            .ToArray();
        var text = video.EncodeText(tensor(ids, [b, config.TextTokens]));

        var timesteps = randint(0, config.TrainTimesteps, [b], dtype: ScalarType.Int64, generator: noiseGenerator);
        var noise = randn([b, f, 3, s, s], generator: noiseGenerator);
        var signal = alphaBar[timesteps].view(b, 1, 1, 1, 1);
        var noisy = (signal.sqrt() * clean) + ((1 - signal).sqrt() * noise);
        var predicted = video.call(noisy, timesteps, text, conditioning);
        var diffusion = nn.functional.mse_loss(predicted, noise);

        // The frames the prediction implies, cropped at each character's face box and embedded by the frozen f.
        var estimate = ((noisy - ((1 - signal).sqrt() * predicted)) / signal.sqrt()).clamp(-1, 1).view(b * f, 3, s, s);
        var frameOf = Enumerable.Range(0, b * c * f).Select(i => (long)((i / (c * f) * f) + (i % f))).ToArray();
        var crops = TensorFaceCrop.Extract(estimate.index_select(0, tensor(frameOf)), batch.FaceBoxes, r);
        var generated = nn.functional.normalize(identity.Backbone.call(crops)[.., 0], dim: 1).view(b, c, f, -1);
        var reference = nn.functional.normalize(referenceEmbedding.detach(), dim: 1).view(b, c, 1, -1);
        var toReference = (generated - reference).pow(2).sum(-1).mean([-1]);
        var adjacent = (generated[.., .., 1..] - generated[.., .., ..^1]).pow(2).sum(-1).mean([-1]);
        var perClip = (toReference + (0.5 * adjacent)).mean([1]) * signal.view(b) * keepIdentity;
        var identityLoss = perClip.sum() / keepIdentity.sum().clamp_min(1);
        return (diffusion, identityLoss);
    }
}
