using System.Diagnostics;
using Likeness.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Likeness.Model.Generation;

/// <summary>A video denoiser ready to serve: weights loaded, eval mode, on its device; inputs and outputs are managed arrays.</summary>
public sealed class LoadedVideoModel : IDisposable
{
    private readonly VideoDenoiser model;
    private readonly DiffusionSchedule schedule;

    private LoadedVideoModel(VideoDenoiser model, string modelId, bool untrained, Device device)
    {
        this.model = model;
        schedule = new DiffusionSchedule(model.Config.TrainTimesteps);
        ModelId = modelId;
        Untrained = untrained;
        Device = device;
        model.to(device).eval();
    }

    public string ModelId { get; }

    public bool Untrained { get; }

    public Device Device { get; }

    public VideoModelConfig Config => model.Config;

    /// <summary>The module itself, for tests that inspect attention masks or gradients.</summary>
    public VideoDenoiser Module => model;

    /// <summary>A model from a seeded initialisation, labelled untrained in its id.</summary>
    public static LoadedVideoModel Seeded(VideoModelConfig config, long seed, Device device) =>
        new(ModelWeights.Seeded(seed, () => new VideoDenoiser(config)), $"likeness-video-v1-untrained-s{seed}-w{config.Width}", untrained: true, device);

    /// <summary>Loads weights named by a manifest after checking their sha256.</summary>
    public static LoadedVideoModel FromManifest(string manifestPath, Device device)
    {
        var (model, manifest) = ModelWeights.Load<VideoDenoiser, VideoModelConfig>(manifestPath, config => new VideoDenoiser(config));
        return new LoadedVideoModel(model, manifest.ModelId, untrained: !manifest.Trained, device);
    }

    /// <summary>Writes the weights and a manifest into <paramref name="directory"/>; returns the manifest path.</summary>
    public string Save(string directory) => ModelWeights.Save(model, directory, "video", ModelId, trained: !Untrained, Config);

    /// <summary>
    /// DDIM sampling with classifier-free guidance: every step predicts the noise with the identity, text and
    /// timestep conditioning, and the unconditional branch drops text and identity.
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

        using var generator = new TorchSharp.torch.Generator(request.Seed, CPU);
        var x = randn([1, request.Frames, 3, request.Height, request.Width], generator: generator).to(Device);
        var timesteps = schedule.SamplingTimesteps(request.Steps);
        for (var i = 0; i < timesteps.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            using var stepScope = NewDisposeScope();
            int t = timesteps[i], previous = i + 1 < timesteps.Length ? timesteps[i + 1] : -1;
            var input = guided ? cat([x, x], 0) : x;
            var epsilon = model.call(input, full(batch, (long)t, device: Device), text, identity);
            if (guided)
            {
                var conditional = epsilon[0..1];
                var unconditional = epsilon[1..2];
                epsilon = unconditional + (request.GuidanceScale * (conditional - unconditional));
            }

            var (next, clean) = DdimStep(x, epsilon, t, previous);
            x = stepScope.MoveToOuter(next);
            var step = i + 1;
            var estimate = request.PreviewAt(step) ? clean.cpu().data<float>().ToArray() : null;
            onStep(new SamplingStep(step, timesteps.Length, Stopwatch.GetElapsedTime(started), estimate));
        }

        return x.clamp(-1, 1).cpu().data<float>().ToArray();
    }

    /// <summary>x_t → x_prev through the clean estimate x0 (clipped to the data range, noise re-derived from it).</summary>
    private (Tensor Next, Tensor Clean) DdimStep(Tensor x, Tensor epsilon, int t, int previous)
    {
        double alpha = schedule.AlphaCumulative(t), alphaPrevious = schedule.AlphaCumulative(previous);
        var clean = ((x - (Math.Sqrt(1 - alpha) * epsilon)) / Math.Sqrt(alpha)).clamp(-1, 1);
        var noise = (x - (Math.Sqrt(alpha) * clean)) / Math.Sqrt(1 - alpha);
        var next = (Math.Sqrt(alphaPrevious) * clean) + (Math.Sqrt(1 - alphaPrevious) * noise);
        return (next, clean[0]);
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

    public void Dispose() => model.Dispose();
}
