using Likeness.Model.Runtime;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Likeness.Model.Weights;

/// <summary>How every Likeness model is built: from a seed, or from a verified manifest and its safetensors; and saved back.</summary>
public static class ModelWeights
{
    private static readonly Lock SeedGate = new();

    /// <summary>Builds a module whose initial weights come from <paramref name="seed"/> alone.</summary>
    public static TModule Seeded<TModule>(long seed, Func<TModule> build)
    {
        TorchRuntime.EnsureLoaded();
        lock (SeedGate)
        {
            // Module initialisers draw from the global generator; the lock keeps the draw sequence ours alone.
            random.manual_seed(seed);
            return build();
        }
    }

    /// <summary>Builds a module from the manifest's config and loads its weights after checking their sha256.</summary>
    public static (TModule Module, ModelManifest Manifest) Load<TModule, TConfig>(string manifestPath, Func<TConfig, TModule> build)
        where TModule : nn.Module =>
        Load(manifestPath, manifest => manifest.ReadConfig<TConfig>(), build);

    /// <summary>As <see cref="Load{TModule, TConfig}(string, Func{TConfig, TModule})"/>, with the family's own reading of the config.</summary>
    /// <param name="readConfig">Turns the manifest into the config, e.g. filling a field older manifests lack.</param>
    public static (TModule Module, ModelManifest Manifest) Load<TModule, TConfig>(
        string manifestPath, Func<ModelManifest, TConfig> readConfig, Func<TConfig, TModule> build)
        where TModule : nn.Module
    {
        var (module, manifest, weightsPath) = Build(manifestPath, readConfig, build);
        module.load_safetensors(weightsPath, strict: true);
        return (module, manifest);
    }

    /// <summary>
    /// As <see cref="Load{TModule, TConfig}(string, Func{ModelManifest, TConfig}, Func{TConfig, TModule})"/>, for weights
    /// stored in a form the family decodes itself (such as quantised codes): <paramref name="decode"/> turns the verified
    /// file's tensors into the module's state dict, which must then match the module exactly.
    /// </summary>
    public static (TModule Module, ModelManifest Manifest) LoadDecoded<TModule, TConfig>(
        string manifestPath,
        Func<ModelManifest, TConfig> readConfig,
        Func<TConfig, TModule> build,
        Func<IReadOnlyDictionary<string, Tensor>, Dictionary<string, Tensor>> decode)
        where TModule : nn.Module
    {
        var (module, manifest, weightsPath) = Build(manifestPath, readConfig, build);
        try
        {
            using var scope = NewDisposeScope();
            var stored = Safetensors.LoadStateDict(weightsPath);
            var (missing, unexpected) = module.load_state_dict(decode(stored), strict: false);
            if (missing.Count > 0 || unexpected.Count > 0)
            {
                throw new InvalidDataException(
                    $"{weightsPath} does not fit {typeof(TModule).Name}: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}].");
            }
        }
        catch
        {
            module.Dispose();
            throw;
        }

        return (module, manifest);
    }

    private static (TModule Module, ModelManifest Manifest, string WeightsPath) Build<TModule, TConfig>(
        string manifestPath, Func<ModelManifest, TConfig> readConfig, Func<TConfig, TModule> build)
        where TModule : nn.Module
    {
        TorchRuntime.EnsureLoaded();
        var (manifest, weightsPath) = ModelManifest.ReadVerified(manifestPath);
        lock (SeedGate)
        {
            // Construction initialises weights from the global generator (overwritten after); under the lock, so a
            // model loaded on another thread cannot shift the draws of a seeded build running at the same time.
            return (build(readConfig(manifest)), manifest, weightsPath);
        }
    }

    /// <summary>Writes <c>{name}.safetensors</c> and <c>{name}.manifest.json</c> into <paramref name="directory"/>; returns the manifest path.</summary>
    public static string Save(nn.Module module, string directory, string name, string modelId, bool trained, object config)
    {
        Directory.CreateDirectory(directory);
        var weights = $"{name}.safetensors";
        module.save_safetensors(Path.Combine(directory, weights));
        var manifestPath = Path.Combine(directory, $"{name}.manifest.json");
        ModelManifest.Write(manifestPath, modelId, trained, config, weights);
        return manifestPath;
    }
}
