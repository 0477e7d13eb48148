using System.Diagnostics;
using Likeness.Model.Generation;
using Likeness.Model.Generation.Sampling;
using Likeness.Model.Identity;
using Likeness.Model.Latents;
using Likeness.Model.Runtime;
using Likeness.Model.Weights;
using Likeness.Training.Backbone;
using Likeness.Training.Cast;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Likeness.Training.Video;

/// <summary>
/// Trains the identity encoder's projection and identity bank together with the video denoiser on cast frames, in the
/// frame autoencoder's latent space when one is given: first on single frames in large batches, then on clips. The loss is
/// the denoising objective's (velocity for rectified flow), weighted towards face cells, plus λ × the seed's identity
/// preservation loss on the frames the prediction implies, <c>mean_t ||f(v̂_t) − f(ref)||² + 0.5 · mean_t ||f(v̂_t) − f(v̂_{t+1})||²</c>
/// over L2-normalised embeddings of the frozen, trained face backbone f, weighted by the squared signal coefficient because
/// x̂0 means little at high noise. References come from another clip of the same character than the target. An exponential
/// moving average of the weights is kept, and is what checkpoints ship.
/// </summary>
public static class VideoTraining
{
    /// <summary>Writes checkpoints through <paramref name="checkpoint"/> as it goes; returns the averaged (shipped) models.</summary>
    /// <param name="autoencoderManifest">The trained frame autoencoder to work through, or null for pixel space.</param>
    /// <param name="resume">
    /// A checkpoint to go on from: live and averaged weights are loaded, the learning-rate schedule continues from that step
    /// and the data stream is reseeded; the optimiser's moments start afresh.
    /// </param>
    /// <exception cref="InvalidOperationException">A loss stopped being finite, or the identity and video shapes disagree.</exception>
    public static (IdentityModel Identity, VideoDenoiser Video) Train(
        VideoTrainingSettings settings, string backboneManifest, string? autoencoderManifest, Action<VideoTrainingProgress> report,
        Action<VideoTrainingState> checkpoint, TrainingCheckpoint? resume = null)
    {
        if (settings.ContextShare > 0 && settings.Video.Objective != DenoisingObjectiveKind.RectifiedFlow)
        {
            throw new ArgumentException($"Continuation training (ContextShare) gives context frames a rectified-flow level; the objective is {settings.Video.Objective}.", nameof(settings));
        }

        // A family trained with given frames records the level it read them at, so its continuations keep them there.
        settings = settings with { Video = settings.Video with { ContextNoiseLevel = settings.ContextShare > 0 ? settings.ContextNoiseLevel : settings.Video.ContextNoiseLevel } };
        TorchRuntime.EnsureLoaded();
        var (backboneManifestRead, backboneWeights) = ModelManifest.ReadVerified(backboneManifest);
        var backboneShape = backboneManifestRead.ReadConfig<BackboneConfig>();
        var identityConfig = settings.Identity with { InputSize = backboneShape.InputSize, BackboneWidths = backboneShape.Widths };
        using var autoencoder = autoencoderManifest is null
            ? null
            : ModelWeights.Load<FrameAutoencoder, AutoencoderConfig>(autoencoderManifest, c => new FrameAutoencoder(c)).Module;
        var videoConfig = autoencoder is null
            ? settings.Video
            : settings.Video with
            {
                Channels = autoencoder.Config.LatentChannels, LatentDownsample = autoencoder.Config.Downsample,
                Autoencoder = Path.GetFileName(autoencoderManifest),
                AutoencoderId = ModelManifest.ReadVerified(autoencoderManifest!).Manifest.ModelId,
            };
        if (identityConfig.TokenDim != videoConfig.IdentityDim || identityConfig.IdentityTokens != videoConfig.IdentityTokens)
        {
            throw new InvalidOperationException("The identity model's tokens must have the shape the video model accepts.");
        }

        if (settings.ClipFrames > videoConfig.MaxFrames)
        {
            throw new InvalidOperationException($"Clips of {settings.ClipFrames} frames exceed the model's {videoConfig.MaxFrames}.");
        }

        // A checkpoint written before the autoencoder's id was recorded names none; it is then taken to be this run's. One
        // trained without given frames may go on with them (a fine-tune into continuation), never the other way round.
        var resumedVideo = resume is null ? default : ModelManifest.ReadVerified(resume.VideoManifest);
        if (resume is not null && VideoModelConfig.Read(resumedVideo.Manifest) is var resumed
            && resumed with
            {
                AutoencoderId = resumed.AutoencoderId ?? videoConfig.AutoencoderId,
                ContextNoiseLevel = resumed.ContextNoiseLevel ?? videoConfig.ContextNoiseLevel,
            } != videoConfig)
        {
            throw new InvalidOperationException($"The checkpoint was trained as {resumed}, not as this run's {videoConfig}; resume with the settings it was trained with.");
        }

        autoencoder?.eval();
        foreach (var parameter in autoencoder?.parameters() ?? [])
        {
            parameter.requires_grad = false;
        }

        var (identity, video, emaIdentity, emaVideo) = ModelWeights.Seeded(settings.Seed, () =>
            (new IdentityModel(identityConfig), new VideoDenoiser(videoConfig), new IdentityModel(identityConfig), new VideoDenoiser(videoConfig)));
        identity.Backbone.load_safetensors(backboneWeights, strict: true);
        emaIdentity.Backbone.load_safetensors(backboneWeights, strict: true);
        if (resume is not null)
        {
            identity.load_safetensors(ModelManifest.ReadVerified(resume.IdentityManifest).WeightsPath, strict: true);
            video.load_safetensors(resumedVideo.WeightsPath, strict: true);
        }

        foreach (var parameter in identity.Backbone.parameters())
        {
            parameter.requires_grad = false;
        }

        var emaIdentityAverage = new ExponentialMovingAverage(identity, emaIdentity, settings.EmaDecay);
        var emaVideoAverage = new ExponentialMovingAverage(video, emaVideo, settings.EmaDecay);
        if (resume is not null)
        {
            emaIdentity.load_safetensors(ModelManifest.ReadVerified(resume.EmaIdentityManifest).WeightsPath, strict: true);
            emaVideo.load_safetensors(ModelManifest.ReadVerified(resume.EmaVideoManifest).WeightsPath, strict: true);
        }

        identity.train();
        video.train();
        emaIdentity.eval();
        emaVideo.eval();
        var trainable = identity.parameters().Where(p => p.requires_grad).Concat(video.parameters()).ToList();
        using var optimizer = optim.AdamW(trainable, lr: settings.LearningRate, weight_decay: 0.01);

        var cast = new ProceduralCast(settings.CastSeed);
        var ids = cast.Training(settings.CastSize).Select(c => c.Id).ToList();
        var side = videoConfig.MaxSide;
        var images = new ClipSamples(cast, ids, 1, side, videoConfig.PatchSize, identityConfig.InputSize, settings.ReferencesFromTargetClip, settings.AugmentReferences);
        var clips = new ClipSamples(cast, ids, settings.ClipFrames, side, videoConfig.PatchSize, identityConfig.InputSize, settings.ReferencesFromTargetClip, settings.AugmentReferences);
        var longClips = new ClipSamples(cast, ids, videoConfig.MaxFrames, side, videoConfig.PatchSize, identityConfig.InputSize, settings.ReferencesFromTargetClip, settings.AugmentReferences);
        var longBatch = Math.Max(1, settings.BatchSize * settings.ClipFrames / videoConfig.MaxFrames);
        var objective = DenoisingObjective.For(videoConfig);
        var firstStep = (resume?.Step ?? 0) + 1;
        var random = new Random(Seeds.Derive(settings.Seed, firstStep));
        using var noiseGenerator = new TorchSharp.torch.Generator((ulong)settings.Seed + (ulong)firstStep);
        var started = Stopwatch.GetTimestamp();
        for (var step = firstStep; step <= settings.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var characters = random.NextDouble() < settings.PairShare ? 2 : 1;
            var (source, size) = step <= settings.ImageSteps ? (images, settings.ImageBatchSize)
                : random.NextDouble() < settings.LongClipShare ? (longClips, longBatch)
                : (clips, settings.BatchSize);
            var batch = source.Next(random, size, characters);
            var model = new JointModel(identity, video, autoencoder, objective);
            var (diffusionLoss, identityLoss) = Losses(model, batch, random, noiseGenerator, settings);
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
            emaIdentityAverage.Update(step);
            emaVideoAverage.Update(step);
            if (step == firstStep || step % 25 == 0 || step == settings.Steps)
            {
                report(new VideoTrainingProgress(step, diffusionLoss.item<float>(), identityLoss.item<float>(), Stopwatch.GetElapsedTime(started)));
            }

            if (step % settings.CheckpointEvery == 0 || step == settings.Steps)
            {
                identity.eval();
                video.eval();
                checkpoint(new VideoTrainingState(step, identity, video, emaIdentity, emaVideo));
                identity.train();
                video.train();
            }
        }

        identity.Dispose();
        video.Dispose();
        return (emaIdentity, emaVideo);
    }

    /// <summary>The modules one loss evaluation needs.</summary>
    private sealed record JointModel(IdentityModel Identity, VideoDenoiser Video, FrameAutoencoder? Autoencoder, DenoisingObjective Objective);

    private static (Tensor Diffusion, Tensor Identity) Losses(
        JointModel model, ClipBatch batch, Random random, TorchSharp.torch.Generator noiseGenerator, VideoTrainingSettings settings)
    {
        var (identity, video, autoencoder, objective) = model;
        var config = video.Config;
        int b = batch.Size, c = batch.Characters, f = batch.Frames, s = batch.Side, r = identity.Config.InputSize;
        var pixels = tensor(batch.Clips, [b * f, 3, s, s]);
        var (tokens, referenceEmbedding) = identity.Encode(tensor(batch.References, [b * c, 3, r, r]));

        // The denoiser's space: latents of the frozen autoencoder, or the pixels themselves.
        Tensor clean;
        using (no_grad())
        {
            clean = (autoencoder is null ? pixels : autoencoder.Encode(pixels)).view(b, f, config.Channels, s / config.LatentDownsample, s / config.LatentDownsample);
        }

        // Dropped conditions teach the unconditional branch classifier-free guidance subtracts.
        var keepIdentity = tensor(Enumerable.Range(0, b).Select(_ => random.NextDouble() < settings.ConditionDropout ? 0f : 1f).ToArray());
        var keepText = Enumerable.Range(0, b).Select(_ => random.NextDouble() >= settings.ConditionDropout).ToArray();
        var weight = tensor(batch.Regions, [b, c, batch.Regions.Length / (b * c)]) * keepIdentity.view(b, 1, 1);
        var firstSlot = c == 1 ? random.Next(config.MaxCharacters) : 0;
        var conditioning = video.IdentityBank.BuildBatch(tokens.view(b, c, config.IdentityTokens, config.IdentityDim), weight, firstSlot);
        var promptIds = batch.Captions
            .SelectMany((caption, i) => keepText[i] ? PromptTokenizer.Tokenize(caption, config.TextTokens, config.TextVocabulary) : new long[config.TextTokens])
            .ToArray();
        var text = video.EncodeText(tensor(promptIds, [b, config.TextTokens]));

        var levels = objective.TrainingLevels(b, noiseGenerator);
        var (frameLevels, made) = ContinuationLevels.Draw(levels, f, random, settings);
        var noise = randn(clean.shape, generator: noiseGenerator);
        var perFrame = frameLevels.view(b, f, 1, 1, 1);
        var noisy = objective.AddNoise(clean, noise, perFrame);
        var predicted = video.call(noisy, objective.ModelTimes(frameLevels), text, conditioning);

        // Face cells count 1 + FaceLossWeight: the face is what identity is judged on, and a small part of the frame.
        var faces = nn.functional.avg_pool2d(tensor(batch.FaceMasks, [b * f, 1, s, s]), config.LatentDownsample)
            .view(b, f, 1, s / config.LatentDownsample, s / config.LatentDownsample);
        var cellWeight = (1 + (settings.FaceLossWeight * faces)) * made.view(b, f, 1, 1, 1);
        var squared = (predicted - objective.Target(clean, noise, perFrame)).pow(2);
        var diffusion = (squared * cellWeight).mean() / cellWeight.mean();

        return (diffusion, IdentityLoss(model, batch, noisy, predicted, levels, frameLevels, referenceEmbedding, keepIdentity, random, settings.IdentityLossFrames));
    }

    /// <summary>
    /// The seed's identity preservation loss on the clean frames the prediction implies, decoded to pixels, cropped at each
    /// character's face box and embedded by the frozen f; on a window of adjacent frames of the first clips, to bound the cost.
    /// </summary>
    private static Tensor IdentityLoss(
        JointModel model, ClipBatch batch, Tensor noisy, Tensor predicted, Tensor levels, Tensor frameLevels, Tensor referenceEmbedding, Tensor keepIdentity,
        Random random, int maxFrames)
    {
        var (identity, _, autoencoder, objective) = model;
        int b = batch.Size, c = batch.Characters, f = batch.Frames, s = batch.Side, r = identity.Config.InputSize;
        var window = Math.Min(f, 2);
        var clipsUsed = Math.Clamp(maxFrames / window, 1, b);
        var first = random.Next(f - window + 1);
        var estimate = objective.CleanEstimate(noisy[..clipsUsed, first..(first + window)], predicted[..clipsUsed, first..(first + window)],
            frameLevels[..clipsUsed, first..(first + window)].view(clipsUsed, window, 1, 1, 1));
        var latentShape = estimate.shape;
        var flat = estimate.reshape(clipsUsed * window, latentShape[2], latentShape[3], latentShape[4]);
        var frames = (autoencoder is null ? flat : autoencoder.Decode(flat)).clamp(-1, 1);   // [clips × window, 3, s, s]

        // Crop n = (clip, character, frame) from decoded frame (clip, frame); boxes are laid out [batch, characters, frames].
        var frameOf = new long[clipsUsed * c * window];
        var boxes = new Likeness.Identity.Regions.NormalizedBox[clipsUsed * c * window];
        for (var i = 0; i < frameOf.Length; i++)
        {
            int clip = i / (c * window), character = i / window % c, w = i % window;
            frameOf[i] = (clip * window) + w;
            boxes[i] = batch.FaceBoxes[(((clip * c) + character) * f) + first + w];
        }

        var crops = TensorFaceCrop.Extract(frames.index_select(0, tensor(frameOf)), boxes, r);
        var generated = nn.functional.normalize(identity.Backbone.call(crops)[.., 0], dim: 1).view(clipsUsed, c, window, -1);
        var reference = nn.functional.normalize(referenceEmbedding.detach(), dim: 1).view(b, c, 1, -1)[..clipsUsed];
        var toReference = (generated - reference).pow(2).sum(-1).mean([-1]);
        var adjacent = window > 1 ? (generated[.., .., 1..] - generated[.., .., ..^1]).pow(2).sum(-1).mean([-1]) : zeros_like(toReference);
        var signal = objective.SignalCoefficients(levels[..clipsUsed]).pow(2);
        var keep = keepIdentity[..clipsUsed];
        var perClip = (toReference + (0.5 * adjacent)).mean([1]) * signal * keep;
        return perClip.sum() / keep.sum().clamp_min(1);
    }
}
