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
        TorchRuntime.EnsureLoaded();
        var (manifest, weightsPath) = ModelManifest.ReadVerified(manifestPath);
        TModule module;
        lock (SeedGate)
        {
            // Construction initialises weights from the global generator (overwritten below); under the lock, so a
            // model loaded on another thread cannot shift the draws of a seeded build running at the same time.
            module = build(readConfig(manifest));
        }

        module.load_safetensors(weightsPath, strict: true);
        return (module, manifest);
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
