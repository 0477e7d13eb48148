using Likeness.Generation.Hosting;
using Likeness.Model.Generation;
using Likeness.Model.Identity;
using Likeness.Model.Weights;
using Likeness.Training.Backbone;
using Likeness.Training.Cast;
using Likeness.Training.Data;
using TorchSharp;

namespace Likeness.Training.Tests.Shipped;

/// <summary>The trained family in models/, as every app carries it beside its binaries.</summary>
public sealed class ShippedModelsTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "models");

    [Theory]
    [InlineData("identity")]
    [InlineData("video")]
    [InlineData("evaluator")]
    public void Manifest_MatchesItsWeightsAndSaysTrained(string name)
    {
        var (manifest, weights) = ModelManifest.ReadVerified(Path.Combine(Folder, $"{name}.manifest.json"));

        Assert.True(manifest.Trained);
        Assert.DoesNotContain("untrained", manifest.ModelId, StringComparison.Ordinal);
        Assert.True(new FileInfo(weights).Length < 20_000_000, "each shipped model stays small enough for the repository");
    }

    [Fact]
    public void IdentityAndVideo_LoadStrictly_FitEachOther_AndServeTheGeneratorDefaults()
    {
        using var identity = LoadedIdentityModel.FromManifest(Path.Combine(Folder, "identity.manifest.json"), torch.CPU);
        using var video = LoadedVideoModel.FromManifest(Path.Combine(Folder, "video.manifest.json"), torch.CPU);
        var options = new GeneratorOptions();
        options.ApplyListDefaults();

        Assert.Equal(video.Config.IdentityDim, identity.Config.TokenDim);
        Assert.Equal(video.Config.IdentityTokens, identity.Config.IdentityTokens);
        Assert.Empty(options.BeyondModel(video.Config));
    }

    [Fact]
    public void Evaluator_IsNotTheBackboneTheGeneratorTrainedAgainst()
    {
        using var identity = LoadedIdentityModel.FromManifest(Path.Combine(Folder, "identity.manifest.json"), torch.CPU);
        var (evaluator, manifest) = BackboneConfig.Load(Path.Combine(Folder, "evaluator.manifest.json"));
        using var _ = evaluator;
        var config = manifest.ReadConfig<BackboneConfig>();

        Assert.True(config.InputSize != identity.Config.InputSize || !config.Widths.SequenceEqual(identity.Config.BackboneWidths));
    }

    [Fact]
    public void IdentityModel_TellsHeldOutCharactersApart()
    {
        using var identity = LoadedIdentityModel.FromManifest(Path.Combine(Folder, "identity.manifest.json"), torch.CPU);
        var cast = new ProceduralCast(7);
        var samples = new FaceSamples(cast, identity.Config.InputSize);
        var random = new Random(11);
        var heldOut = cast.HeldOut(200).Take(12).Select(c => c.Id).ToList();
        var embeddings = heldOut.Select(id =>
        {
            var crops = Enumerable.Range(0, 2).SelectMany(_ => samples.Sample(id, random)).ToArray();
            var values = identity.Embed(crops, 2);
            return (First: values[..FaceBackbone.FeatureDim], Second: values[FaceBackbone.FeatureDim..]);
        }).ToList();

        var same = embeddings.Average(e => EmbeddingMath.Cosine(e.First, e.Second));
        var different = embeddings.SelectMany((e, i) => embeddings.Where((_, j) => j != i).Select(o => EmbeddingMath.Cosine(e.First, o.Second))).Average();

        Assert.True(same > different + 0.2, $"same character {same:0.00}, different characters {different:0.00}");
    }
}
