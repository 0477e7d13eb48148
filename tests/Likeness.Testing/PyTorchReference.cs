using System.Text.Json;
using Likeness.Model.Generation;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Likeness.Testing;

/// <summary>
/// The video denoiser's PyTorch reference (<c>services/Likeness.Model/Reference/</c>), run by Debian's python3-torch on
/// inputs written here, beside the same call in TorchSharp: the equality test and the <c>pytorch</c> bench share it.
/// </summary>
public static class PyTorchReference
{
    /// <summary>Debian's interpreter, which python3-torch is installed for (test.sh installs it).</summary>
    public const string Python = "/usr/bin/python3";

    public static string Script { get; } = Repository.PathOf("services/Likeness.Model/Reference/run_denoiser.py");

    /// <summary>
    /// Inputs of one classifier-free-guidance denoiser call at mid-noise (model time 500), from <paramref name="seed"/>:
    /// noisy [2, frames, channels, h, w] (the same sample twice, as sampling batches it), prompt ids for the conditional
    /// row and padding for the unconditional one, one character's random identity tokens over the whole frame at strength 0.8.
    /// </summary>
    /// <param name="perFrameLevels">Timesteps [2, frames]: the first half of the frames clean (0), the rest at 500, as a clip being continued.</param>
    /// <returns>Tensors named as run_denoiser.py reads them; the caller disposes them.</returns>
    public static Dictionary<string, Tensor> Inputs(VideoModelConfig config, int frames, int size, long seed, bool perFrameLevels = false)
    {
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        using var scope = NewDisposeScope();
        using var modelTime = 500f.ToScalar();
        var side = size / config.LatentDownsample;
        var sample = randn([1, frames, config.Channels, side, side], generator: generator);
        var ids = PromptTokenizer.Tokenize("a character waves at the camera", config.TextTokens, config.TextVocabulary);
        var conditional = tensor(ids, [1, ids.Length]);
        var videoTokens = frames * (size / config.PatchSize) * (size / config.PatchSize);
        var inputs = new Dictionary<string, Tensor>
        {
            ["noisy"] = cat([sample, sample], 0),
            ["timesteps"] = perFrameLevels
                ? tensor(Enumerable.Range(0, 2 * frames).Select(i => i % frames < frames / 2 ? 0f : 500f).ToArray(), [2, frames])
                : full([2], modelTime),
            ["text_ids"] = cat([conditional, zeros_like(conditional)], 0),
            ["character_tokens"] = randn([1, config.IdentityTokens, config.IdentityDim], generator: generator),
            ["regions"] = ones(1, videoTokens),
            ["strengths"] = tensor(new[] { 0.8f }),
        };
        foreach (var t in inputs.Values)
        {
            scope.MoveToOuter(t);
        }

        return inputs;
    }

    /// <summary>
    /// The same call in TorchSharp: the prompt and identity encoded as a job does once, then the denoiser's forward,
    /// which <paramref name="timed"/> wraps (it gets the call to time and returns its result).
    /// </summary>
    /// <returns>The prediction, [2, frames, channels, h, w], for the caller to dispose.</returns>
    public static Tensor Predict(VideoDenoiser denoiser, IReadOnlyDictionary<string, Tensor> inputs, Func<Func<Tensor>, Tensor>? timed = null)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var text = denoiser.EncodeText(inputs["text_ids"]);
        var identity = denoiser.IdentityBank.Build([inputs["character_tokens"][0]], inputs["regions"], inputs["strengths"]);
        identity = identity with { Weight = cat([identity.Weight, zeros_like(identity.Weight)], 0) };
        Tensor Call() => denoiser.call(inputs["noisy"], inputs["timesteps"], text, identity);
        return scope.MoveToOuter(timed is null ? Call() : timed(Call));
    }

    /// <summary>Runs the reference on <paramref name="inputs"/> with the model <paramref name="manifest"/> names.</summary>
    /// <param name="repeats">Timed forward calls after the first (0: none).</param>
    /// <param name="perClipCast">
    /// The reference conditions through <c>build_batch</c> and per-clip [batch, characters, keys, width] tokens, as
    /// training batches do, instead of one cast shared by the batch: the same math by another path.
    /// </param>
    /// <returns>The reference's prediction (for the caller to dispose), the time of each timed call and PyTorch's version.</returns>
    /// <exception cref="InvalidOperationException">The reference did not run (its stderr says why).</exception>
    public static async Task<(Tensor Prediction, double[] CallMilliseconds, string TorchVersion)> RunAsync(
        string manifest, IReadOnlyDictionary<string, Tensor> inputs, int threads, int repeats, bool perClipCast = false)
    {
        var folder = Directory.CreateTempSubdirectory("likeness-pytorch-").FullName;
        try
        {
            string input = Path.Combine(folder, "inputs.safetensors"), output = Path.Combine(folder, "prediction.safetensors");
            Safetensors.SaveStateDict(input, inputs.ToDictionary());
            using var run = await ChildProcess.RunAsync(Python,
                [Script, "--manifest", manifest, "--inputs", input, "--output", output, "--threads", $"{threads}", "--repeats", $"{repeats}",
                 .. perClipCast ? ["--per-clip-cast"] : Array.Empty<string>()],
                TimeSpan.FromMinutes(5));
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"The PyTorch reference failed: {run}");
            }

            using var report = JsonDocument.Parse(run.Output.Trim().Split('\n')[^1]);
            var times = report.RootElement.GetProperty("call_ms").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var loaded = Safetensors.LoadStateDict(output);
            return (loaded["prediction"], times, report.RootElement.GetProperty("torch").GetString()!);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
