using Likeness.Model.Identity;
using Likeness.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace Likeness.Model.Tests.Identity;

[Collection(ResidentMemoryCollection.Name)]
public sealed class LoadedIdentityModelUnitTests
{
    private static readonly IdentityModelConfig Config = new() { TokenDim = 768 };

    [Fact]
    public void Encode_OneCrop_Returns32By768Tokens()
    {
        using var model = LoadedIdentityModel.Seeded(Config, seed: 7, CPU);

        var tokens = model.Encode(Crops(1, seed: 1), 1, []).Tokens;

        Assert.Equal(32 * 768, tokens.Length);
        Assert.All(tokens, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Forward_Batch_ReturnsBatchByTokensByDim()
    {
        using var model = LoadedIdentityModel.Seeded(Config, seed: 7, CPU);
        using var module = new IdentityModel(Config);
        using var images = randn(3, 3, 112, 112);

        using var output = module.call(images);

        Assert.Equal(new long[] { 3, 32, 768 }, output.shape);
    }

    [Fact]
    public void Seeded_SameSeed_GivesIdenticalTokensAndId()
    {
        using var first = LoadedIdentityModel.Seeded(Config, seed: 11, CPU);
        using var second = LoadedIdentityModel.Seeded(Config, seed: 11, CPU);
        var crops = Crops(2, seed: 3);

        Assert.Equal(first.ModelId, second.ModelId);
        Assert.Equal(first.Encode(crops, 2, []).Tokens, second.Encode(crops, 2, []).Tokens);
    }

    [Fact]
    public void Seeded_OtherSeed_GivesOtherTokensAndId()
    {
        using var first = LoadedIdentityModel.Seeded(Config, seed: 11, CPU);
        using var second = LoadedIdentityModel.Seeded(Config, seed: 12, CPU);
        var crops = Crops(1, seed: 3);

        Assert.NotEqual(first.ModelId, second.ModelId);
        Assert.NotEqual(first.Encode(crops, 1, []).Tokens, second.Encode(crops, 1, []).Tokens);
        Assert.Contains("untrained", first.ModelId, StringComparison.Ordinal);
        Assert.True(first.Untrained);
    }

    [Fact]
    public void Encode_SeveralCrops_IsTheMeanOfEachCropsTokens()
    {
        using var model = LoadedIdentityModel.Seeded(Config, seed: 5, CPU);
        var crops = Crops(3, seed: 9);
        var each = Enumerable.Range(0, 3).Select(i => model.Encode(crops.AsSpan(i * model.CropLength, model.CropLength), 1, []).Tokens).ToList();

        var combined = model.Encode(crops, 3, []).Tokens;

        for (var i = 0; i < combined.Length; i += 97)
        {
            Assert.Equal((each[0][i] + each[1][i] + each[2][i]) / 3, combined[i], 1e-4f);
        }
    }

    [Fact]
    public void Encode_Weights_AreNormalisedIntoAWeightedMean()
    {
        using var model = LoadedIdentityModel.Seeded(Config, seed: 5, CPU);
        var crops = Crops(2, seed: 4);
        var first = model.Encode(crops.AsSpan(0, model.CropLength), 1, []).Tokens;
        var second = model.Encode(crops.AsSpan(model.CropLength), 1, []).Tokens;

        var combined = model.Encode(crops, 2, [3f, 1f]).Tokens;

        for (var i = 0; i < combined.Length; i += 89)
        {
            Assert.Equal((0.75f * first[i]) + (0.25f * second[i]), combined[i], 1e-4f);
        }
    }

    [Fact]
    public void Encode_DifferentCrops_GiveDifferentTokens()
    {
        using var model = LoadedIdentityModel.Seeded(Config, seed: 5, CPU);

        Assert.NotEqual(model.Encode(Crops(1, seed: 1), 1, []).Tokens, model.Encode(Crops(1, seed: 2), 1, []).Tokens);
    }

    [Fact]
    public void Encode_FaceEmbedding_IsTheMeanOfEachCropsBackboneEmbedding()
    {
        using var model = LoadedIdentityModel.Seeded(Config, seed: 5, CPU);
        var crops = Crops(2, seed: 6);
        var each = model.Embed(crops, 2);

        var combined = model.Encode(crops, 2, []).FaceEmbedding;

        Assert.Equal(512, combined.Length);
        for (var i = 0; i < 512; i += 37)
        {
            Assert.Equal((each[i] + each[512 + i]) / 2, combined[i], 1e-4f);
        }
    }

    [Fact]
    public void Encode_WrongCropLength_Throws()
    {
        using var model = LoadedIdentityModel.Seeded(Config, seed: 5, CPU);

        Assert.Throws<ArgumentException>(() => model.Encode(new float[10], 1, []));
    }

    [Fact]
    public void Encode_ManyCalls_LeavesNoLiveTensorsAndFlatNativeMemory()
    {
        using var model = LoadedIdentityModel.Seeded(Config, seed: 5, CPU);
        var crops = Crops(2, seed: 8);
        for (var i = 0; i < 20; i++)
        {
            model.Encode(crops, 2, []);
        }

        var liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var rssBefore = ResidentMemory.OfThisProcess();
        for (var i = 0; i < 300; i++)
        {
            model.Encode(crops, 2, i % 2 == 0 ? [] : [1f, 2f]);
        }

        Assert.Equal(liveBefore, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        var growth = ResidentMemory.OfThisProcess() - rssBefore;
        Assert.True(growth < 64L * 1024 * 1024, $"Resident memory grew by {growth / (1024 * 1024)} MiB over 300 encodes.");
    }

    private static float[] Crops(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * 3 * 112 * 112).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
    }
}
