using Likeness.Model.Identity;
using static TorchSharp.torch;

namespace Likeness.Model.Tests.Weights;

public sealed class ModelManifestUnitTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("likeness-manifest-").FullName;
    private static readonly IdentityModelConfig Config = new() { TokenDim = 64, AttentionHeads = 4, BackboneWidths = [8, 16] };

    [Fact]
    public void FromManifest_SavedWeights_ReproduceTheSameTokens()
    {
        using var original = LoadedIdentityModel.Seeded(Config, seed: 21, CPU);
        var manifest = original.Save(directory);

        using var loaded = LoadedIdentityModel.FromManifest(manifest, CPU);

        var crops = new float[original.CropLength];
        for (var i = 0; i < crops.Length; i++)
        {
            crops[i] = MathF.Sin(i);
        }

        Assert.Equal(original.ModelId, loaded.ModelId);
        Assert.Equal(original.Config.TokenDim, loaded.Config.TokenDim);
        Assert.Equal(original.Encode(crops, 1, []).Tokens, loaded.Encode(crops, 1, []).Tokens);
    }

    [Fact]
    public void FromManifest_WeightsChangedAfterManifest_IsRefused()
    {
        using var original = LoadedIdentityModel.Seeded(Config, seed: 21, CPU);
        var manifest = original.Save(directory);
        var weights = Path.Combine(directory, "identity.safetensors");
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);

        var error = Assert.Throws<InvalidDataException>(() => LoadedIdentityModel.FromManifest(manifest, CPU));
        Assert.Contains("sha256", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
