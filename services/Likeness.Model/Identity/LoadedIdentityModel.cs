using Likeness.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Likeness.Model.Identity;

/// <summary>An identity model ready to serve: weights loaded, eval mode, on its device; inputs and outputs are managed arrays.</summary>
public sealed class LoadedIdentityModel : IDisposable
{
    private readonly IdentityModel model;

    private LoadedIdentityModel(IdentityModel model, string modelId, bool untrained, Device device)
    {
        this.model = model;
        ModelId = modelId;
        Untrained = untrained;
        Device = device;
        model.to(device).eval();
    }

    public string ModelId { get; }

    /// <summary>True when the weights are a seeded initialisation rather than trained.</summary>
    public bool Untrained { get; }

    public Device Device { get; }

    public IdentityModelConfig Config => model.Config;

    /// <summary>Number of floats in one face crop: 3 × S × S.</summary>
    public int CropLength => 3 * Config.InputSize * Config.InputSize;

    /// <summary>A model from a seeded initialisation, labelled untrained in its id.</summary>
    public static LoadedIdentityModel Seeded(IdentityModelConfig config, long seed, Device device) =>
        new(ModelWeights.Seeded(seed, () => new IdentityModel(config)), $"likeness-identity-v1-untrained-s{seed}-d{config.TokenDim}", untrained: true, device);

    /// <summary>Loads weights named by a manifest after checking their sha256.</summary>
    public static LoadedIdentityModel FromManifest(string manifestPath, Device device)
    {
        var (model, manifest) = ModelWeights.Load<IdentityModel, IdentityModelConfig>(manifestPath, config => new IdentityModel(config));
        return new LoadedIdentityModel(model, manifest.ModelId, untrained: !manifest.Trained, device);
    }

    /// <summary>Writes the weights and a manifest into <paramref name="directory"/>; returns the manifest path.</summary>
    public string Save(string directory) => ModelWeights.Save(model, directory, "identity", ModelId, trained: !Untrained, Config);

    /// <summary>Encodes face crops and combines them into one identity.</summary>
    /// <param name="count">Number of crops, at least 1.</param>
    /// <param name="crops"><paramref name="count"/> crops, each [3, S, S] RGB in -1..1, concatenated.</param>
    /// <param name="weights">One non-negative weight per crop, or empty for a plain mean.</param>
    /// <returns>[tokens, D] identity tokens, row-major, and the combined 512-d face embedding f(ref).</returns>
    public EncodedIdentity Encode(ReadOnlySpan<float> crops, int count, ReadOnlySpan<float> weights)
    {
        if (count <= 0 || crops.Length != count * CropLength)
        {
            throw new ArgumentException($"Expected {count} crops of {CropLength} floats, got {crops.Length} floats.", nameof(crops));
        }

        if (!weights.IsEmpty && (weights.Length != count || weights.ToArray().Any(w => w < 0 || !float.IsFinite(w))))
        {
            throw new ArgumentException("Weights must be one finite non-negative value per crop.", nameof(weights));
        }

        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var size = Config.InputSize;
        var batch = tensor(crops.ToArray(), [count, 3, size, size]).to(Device);
        var (tokens, embedding) = model.Encode(batch);                            // [count, tokens, D], [count, 512]
        var w = weights.IsEmpty || weights.ToArray().Sum() <= 0 ? ones(count) : tensor(weights.ToArray());
        w = (w / w.sum()).to(Device);
        var combinedTokens = (tokens * w.view(-1, 1, 1)).sum([0]);
        var combinedEmbedding = (embedding * w.view(-1, 1)).sum([0]);
        return new EncodedIdentity(combinedTokens.cpu().data<float>().ToArray(), combinedEmbedding.cpu().data<float>().ToArray());
    }

    /// <summary>Face embeddings f(x) of crops, for scoring generated frames against a reference.</summary>
    /// <param name="crops"><paramref name="count"/> crops, each [3, S, S] RGB in -1..1, concatenated.</param>
    /// <returns>[count, 512], row-major.</returns>
    public float[] Embed(ReadOnlySpan<float> crops, int count)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var size = Config.InputSize;
        var batch = tensor(crops.ToArray(), [count, 3, size, size]).to(Device);
        return model.Backbone.call(batch)[.., 0].contiguous().cpu().data<float>().ToArray();
    }

    public void Dispose() => model.Dispose();
}
