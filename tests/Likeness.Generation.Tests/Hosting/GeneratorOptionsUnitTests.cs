using Likeness.Model.Generation;

namespace Likeness.Generation.Tests.Hosting;

public sealed class GeneratorOptionsUnitTests
{
    private static readonly VideoModelConfig Shipped = new() { MaxSide = 64, PatchSize = 8, MaxFrames = 16, MaxCharacters = 2 };

    [Fact]
    public void Defaults_AreServedByAModelOf64PixelsSixteenFramesTwoBanks()
    {
        var options = new GeneratorOptions();
        options.ApplyListDefaults();

        Assert.Equal([64], options.Sizes);
        Assert.Equal([4, 8, 16], options.FrameCounts);
        Assert.Empty(options.BeyondModel(Shipped));
    }

    [Fact]
    public void ConfiguredLists_ReplaceTheDefaults()
    {
        var options = new GeneratorOptions { Sizes = [32], FrameCounts = [8] };
        options.ApplyListDefaults();

        Assert.Equal([32], options.Sizes);
        Assert.Equal([8], options.FrameCounts);
    }

    [Fact]
    public void BeyondModel_NamesEverySettingTheModelCannotServe()
    {
        var options = new GeneratorOptions { Sizes = [32, 128, 60], FrameCounts = [8, 32], MaxCharacters = 3 };

        var problems = options.BeyondModel(Shipped).ToList();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("Sizes offers 128", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Sizes offers 60", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("FrameCounts offers 32", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("MaxCharacters is 3", StringComparison.Ordinal));
    }
}
