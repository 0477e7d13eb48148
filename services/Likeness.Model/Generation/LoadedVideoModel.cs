using Likeness.Model.Generation.Sampling;
using Likeness.Model.Latents;
using Likeness.Model.Runtime;
using Likeness.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Likeness.Model.Generation;

/// <summary>
/// A video denoiser ready to serve: weights loaded, eval mode, on its device, with the frame autoencoder its latents go
/// through when it works in latent space; inputs and outputs are managed arrays of pixels.
/// </summary>
public sealed class LoadedVideoModel : IDisposable
{
    private readonly VideoDenoiser model;
    private readonly FrameAutoencoder? autoencoder;
    private readonly string? autoencoderId;
    private readonly DenoisingObjective objective;

    private LoadedVideoModel(VideoDenoiser model, (FrameAutoencoder Model, string Id)? autoencoder, string modelId, bool untrained, Device device)
    {
        this.model = model;
        this.autoencoder = autoencoder?.Model;
        autoencoderId = autoencoder?.Id;
        objective = DenoisingObjective.For(model.Config);
        ModelId = modelId;
        Untrained = untrained;
        Device = device;
        model.to(device).eval();
        this.autoencoder?.to(device).eval();
    }

    public string ModelId { get; }

    public bool Untrained { get; }

    public Device Device { get; }

    public VideoModelConfig Config => model.Config;

    /// <summary>The module itself, for tests that inspect attention masks or gradients.</summary>
    public VideoDenoiser Module => model;

    /// <summary>The objective the denoiser was trained with, which sampling follows.</summary>
    public DenoisingObjective Objective => objective;

    /// <summary>The frame autoencoder of a latent model; null in pixel space.</summary>
    public FrameAutoencoder? Autoencoder => autoencoder;

    /// <summary>
    /// A model from a seeded initialisation, labelled untrained in its id; pixel space unless an autoencoder is given, which
    /// the model then owns (and disposes).
    /// </summary>
    /// <exception cref="ArgumentException">The autoencoder's latents are not the space <paramref name="config"/> describes.</exception>
    public static LoadedVideoModel Seeded(VideoModelConfig config, long seed, Device device, FrameAutoencoder? autoencoder = null)
    {
        CheckSpace(config, autoencoder);
        config = autoencoder is null ? config : config with { Autoencoder = config.Autoencoder ?? "autoencoder.manifest.json" };
        return new(ModelWeights.Seeded(seed, () => new VideoDenoiser(config)), autoencoder is null ? null : (autoencoder, $"likeness-autoencoder-v1-untrained-s{seed}"),
            $"likeness-video-v1-untrained-s{seed}-w{config.Width}", untrained: true, device);
    }

    /// <summary>Loads weights named by a manifest after checking their sha256, and the autoencoder its config names.</summary>
    /// <exception cref="InvalidDataException">
    /// A checksum does not match, or the autoencoder is not the one the model was trained on (another model id, or latents
    /// of another shape).
    /// </exception>
    public static LoadedVideoModel FromManifest(string manifestPath, Device device)
    {
        var (model, manifest) = ModelWeights.Load<VideoDenoiser, VideoModelConfig>(manifestPath, VideoModelConfig.Read, c => new VideoDenoiser(c));
        var config = model.Config;
        (FrameAutoencoder Model, string Id)? autoencoder = null;
        try
        {
            if (config.Autoencoder is { } autoencoderManifest)
            {
                var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifestPath))!, autoencoderManifest);
                var (loaded, loadedManifest) = ModelWeights.Load<FrameAutoencoder, AutoencoderConfig>(path, c => new FrameAutoencoder(c));
                autoencoder = (loaded, loadedManifest.ModelId);
                if (config.AutoencoderId is { } expected && expected != loadedManifest.ModelId)
                {
                    throw new InvalidDataException($"the denoiser was trained on autoencoder {expected}, but {autoencoderManifest} is {loadedManifest.ModelId}.");
                }
            }

            CheckSpace(config, autoencoder?.Model);
        }
        catch (ArgumentException e)
        {
            model.Dispose();
            autoencoder?.Model.Dispose();
            throw new InvalidDataException($"{manifestPath}: {e.Message}", e);
        }
        catch
        {
            model.Dispose();
            autoencoder?.Model.Dispose();
            throw;
        }

        return new LoadedVideoModel(model, autoencoder, manifest.ModelId, untrained: !manifest.Trained, device);
    }

    /// <summary>
    /// Writes the weights and a manifest into <paramref name="directory"/>, with the autoencoder beside them under the
    /// manifest name the config gives; returns the video manifest's path.
    /// </summary>
    public string Save(string directory)
    {
        if (autoencoder is not null)
        {
            const string suffix = ".manifest.json";
            var file = Path.GetFileName(Config.Autoencoder!);
            var name = file.EndsWith(suffix, StringComparison.Ordinal) && file == Config.Autoencoder
                ? file[..^suffix.Length]
                : throw new InvalidOperationException($"The autoencoder manifest '{Config.Autoencoder}' must be a file name ending in {suffix}.");
            ModelWeights.Save(autoencoder, directory, name, autoencoderId!, trained: !Untrained, autoencoder.Config);
        }

        return ModelWeights.Save(model, directory, "video", ModelId, trained: !Untrained, Config);
    }

    private static void CheckSpace(VideoModelConfig config, FrameAutoencoder? autoencoder)
    {
        var (channels, downsample) = autoencoder is null ? (3, 1) : (autoencoder.Config.LatentChannels, autoencoder.Config.Downsample);
        if (config.Channels != channels || config.LatentDownsample != downsample)
        {
            throw new ArgumentException(
                $"the denoiser works on {config.Channels} channels at 1/{config.LatentDownsample} of the frame side, but its frames come " +
                $"{(autoencoder is null ? "as RGB pixels" : $"from an autoencoder with {channels} latent channels at 1/{downsample}")}.");
        }
    }

    /// <summary>
    /// Samples a clip with classifier-free guidance: every step predicts with the identity, text and timestep conditioning,
    /// and the unconditional branch drops text and identity; both branches run as one batch. Latents are decoded by the
    /// frame autoencoder, for previews as for the final frames.
    /// </summary>
    /// <returns>[frames, 3, H, W] in -1..1.</returns>
    /// <exception cref="OperationCanceledException">Checked before every step: a cancelled run stops within one step.</exception>
    public float[] Sample(SamplingRequest request, Action<SamplingStep> onStep, CancellationToken cancellationToken)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var guided = request.GuidanceScale > 1f;
        var batch = guided ? 2 : 1;
        var identity = BuildIdentity(request, guided);
        var text = model.EncodeText(PromptIds(request.Prompt, guided));
        var down = Config.LatentDownsample;

        using var generator = new TorchSharp.torch.Generator(request.Seed, CPU);
        var noise = randn([1, request.Frames, Config.Channels, request.Height / down, request.Width / down], generator: generator).to(Device);
        var (known, given) = Known(request);
        var clip = DenoisingLoop.Run(objective, noise, request.Steps, (x, level) =>
            {
                // Scalars held until the calls return (see Runtime.Scalars).
                using var time = objective.ModelTime(level).ToScalar();
                using var guidance = request.GuidanceScale.ToScalar();
                var input = guided ? cat([x, x], 0) : x;
                var prediction = model.call(input, Timesteps(batch, request.Frames, time, given), text, identity);
                return guided ? prediction[1..2].add(prediction[0..1] - prediction[1..2], guidance) : prediction;
            },
            step => onStep(new SamplingStep(step.Step, step.TotalSteps, step.Elapsed, request.PreviewAt(step.Step) ? ToPixels(step.Clean) : null)),
            cancellationToken,
            known);
        return ToPixels(clip);
    }

    /// <summary>
    /// The denoiser's timestep input: [batch] at the step's level; with given frames on a model trained to read them at
    /// <see cref="VideoModelConfig.ContextNoiseLevel"/>, [batch, frames] with those frames at that level.
    /// </summary>
    private Tensor Timesteps(int batch, int frames, Scalar time, int given)
    {
        if (given == 0 || Config.ContextNoiseLevel is not { } contextLevel)
        {
            return full([batch], time, device: Device);
        }

        using var contextTime = objective.ModelTime(contextLevel).ToScalar();   // held until the calls return
        var perFrame = full([batch, frames], time, device: Device);
        perFrame[.., ..given] = full([batch, given], contextTime, device: Device);
        return perFrame;
    }

    /// <summary>
    /// For a request with context frames: how many, and a replacement that sets the first frames of x to their clean
    /// values in the denoiser's space noised, with noise of their own, to the step's level — or, on a model trained with a
    /// level per frame, to <see cref="VideoModelConfig.ContextNoiseLevel"/> at every step; at the clean end, to the
    /// values themselves. Without context: null and 0.
    /// </summary>
    /// <exception cref="ArgumentException">The context is not a whole number of frames of the request's size, or not fewer than its frames.</exception>
    private (Func<Tensor, double, Tensor>? Replace, int Given) Known(SamplingRequest request)
    {
        if (request.Context is not { Length: > 0 } context)
        {
            return (null, 0);
        }

        var frameLength = 3 * request.Height * request.Width;
        var count = context.Length / frameLength;
        if (context.Length % frameLength != 0 || count >= request.Frames)
        {
            throw new ArgumentException($"The context must be 1..{request.Frames - 1} frames of 3×{request.Height}×{request.Width} values; it has {context.Length} values.", nameof(request));
        }

        var pixels = tensor(context, [count, 3, request.Height, request.Width]).to(Device);
        var clean = (autoencoder is null ? pixels : autoencoder.Encode(pixels)).unsqueeze(0);
        using var generator = new TorchSharp.torch.Generator(request.Seed ^ 0x9E3779B97F4A7C15UL, CPU);
        var own = randn(clean.shape, generator: generator).to(Device);
        var contextLevel = Config.ContextNoiseLevel;
        return ((x, level) =>
        {
            var at = level == 0 || contextLevel is null ? level : contextLevel.Value;
            // Scalars held until the calls return (see Runtime.Scalars).
            using var signal = objective.SignalCoefficient(at).ToScalar();
            using var noiseShare = objective.NoiseCoefficient(at).ToScalar();
            var given = clean.mul(signal).add_(own.mul(noiseShare), Scalars.One);
            return cat([given, x[.., (int)count..]], 1);
        }, (int)count);
    }

    /// <summary>[1, frames, channels, h, w] in the denoiser's space → [frames, 3, H, W] pixels in -1..1, as managed values.</summary>
    private float[] ToPixels(Tensor clip)
    {
        using var scope = NewDisposeScope();
        var frames = clip[0];
        var pixels = autoencoder is null ? frames : autoencoder.Decode(frames);
        return pixels.clamp(Scalars.MinusOne, Scalars.One).cpu().data<float>().ToArray();
    }

    private IdentityConditioning BuildIdentity(SamplingRequest request, bool guided)
    {
        var cfg = Config;
        int rows = request.Height / cfg.PatchSize, columns = request.Width / cfg.PatchSize;
        var tokens = request.Characters.Select(c => tensor(c.Tokens, [cfg.IdentityTokens, cfg.IdentityDim]).to(Device)).ToList();
        var regions = tensor(request.Characters.SelectMany(c => c.Region).ToArray(),
            [request.Characters.Count, request.Frames * rows * columns]).to(Device);
        var strengths = tensor(request.Characters.Select(c => c.Strength).ToArray()).to(Device);
        var identity = model.IdentityBank.Build(tokens, regions, strengths);
        if (!guided)
        {
            return identity;
        }

        // The unconditional branch sees no identity at all.
        return identity with { Weight = cat([identity.Weight, zeros_like(identity.Weight)], 0) };
    }

    private Tensor PromptIds(string prompt, bool guided)
    {
        var ids = PromptTokenizer.Tokenize(prompt, Config.TextTokens, Config.TextVocabulary);
        var conditional = tensor(ids, [1, ids.Length]);
        var batch = guided ? cat([conditional, zeros_like(conditional)], 0) : conditional;
        return batch.to(Device);
    }

    /// <summary>Floating-point operations (2 per multiply-add) of one denoiser call on a batch of one, for roofline figures.</summary>
    public double FlopsPerCall(int frames, int height, int width, int characters)
    {
        var cfg = Config;
        double w = cfg.Width, patches = height / cfg.PatchSize * (width / cfg.PatchSize), tokens = frames * patches;
        double keys = cfg.IdentityTokens + 1;
        // Per video token: spatial and temporal q/k/v/out (8w²), identity q/out per character (2w² each), text q/out (2w²), MLP (8w²).
        var projections = tokens * w * w * (8 + (2 * characters) + 2 + 8);
        var attention = 2 * w * tokens * (patches + frames + (characters * keys) + cfg.TextTokens);
        var contextProjections = 2 * w * w * ((characters * keys) + cfg.TextTokens);
        return cfg.Blocks * 2 * (projections + attention + contextProjections);
    }

    public void Dispose()
    {
        model.Dispose();
        autoencoder?.Dispose();
    }
}
