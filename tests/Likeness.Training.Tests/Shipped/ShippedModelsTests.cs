using Likeness.Generation;
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
    [InlineData("autoencoder")]
    [InlineData("traits")]
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
    public void Video_StrengthZero_DoesNotDependOnTheIdentity_AndARegionKeepsTheIdentityInside()
    {
        using var video = LoadedVideoModel.FromManifest(Path.Combine(Folder, "video.manifest.json"), torch.CPU);
        var side = video.Config.MaxSide;
        var grid = side / video.Config.PatchSize;
        const int frames = 2;
        float[] Tokens(int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, video.Config.IdentityTokens * video.Config.IdentityDim).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
        }

        // The region: the left half of the patch grid.
        var left = Enumerable.Range(0, frames * grid * grid).Select(i => i % grid < grid / 2 ? 1f : 0f).ToArray();
        float[] Sample(int identity, float strength) => video.Sample(new SamplingRequest
        {
            Frames = frames, Height = side, Width = side, Steps = 2, GuidanceScale = 1, Seed = 4, Prompt = "a character smiles",
            Characters = [new SamplingCharacter(Tokens(identity), strength, left)],
        }, _ => { }, CancellationToken.None);

        Assert.Equal(Sample(1, 0f), Sample(2, 0f));
        var (first, second) = (Sample(1, 1f), Sample(2, 1f));
        Assert.NotEqual(first, second);
        var plane = side * side;
        double Difference(bool inside) => Enumerable.Range(0, first.Length)
            .Where(i => (i % plane % side < side / 2) == inside)
            .Average(i => Math.Abs(first[i] - second[i]));

        // Identity attention is confined to the region; spatial attention in later blocks and the decoder carry a little
        // across its border, so the balance is asserted, not zero outside.
        Assert.True(Difference(inside: true) > 2 * Difference(inside: false),
            $"mean change {Difference(inside: true):0.0000} inside the region, {Difference(inside: false):0.0000} outside");
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
