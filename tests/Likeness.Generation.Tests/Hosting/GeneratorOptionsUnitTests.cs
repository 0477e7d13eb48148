using Likeness.Generation.Hosting;
using Likeness.Model.Generation;

namespace Likeness.Generation.Tests.Hosting;

public sealed class GeneratorOptionsUnitTests
{
    private static readonly VideoModelConfig Shipped = new() { MaxSide = 32, PatchSize = 4, MaxFrames = 8, MaxCharacters = 2 };

    [Fact]
    public void Defaults_AreServedByAModelOf32PixelsEightFramesTwoBanks()
    {
        var options = new GeneratorOptions();
        options.ApplyListDefaults();

        Assert.Equal([32], options.Sizes);
        Assert.Equal([4, 8], options.FrameCounts);
        Assert.Empty(options.BeyondModel(Shipped));
    }

    [Fact]
    public void ConfiguredLists_ReplaceTheDefaults()
    {
        var options = new GeneratorOptions { Sizes = [64], FrameCounts = [16] };
        options.ApplyListDefaults();

        Assert.Equal([64], options.Sizes);
        Assert.Equal([16], options.FrameCounts);
    }

    [Fact]
    public void BeyondModel_NamesEverySettingTheModelCannotServe()
    {
        var options = new GeneratorOptions { Sizes = [32, 64, 30], FrameCounts = [8, 16], MaxCharacters = 3 };

        var problems = options.BeyondModel(Shipped).ToList();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("Sizes offers 64", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Sizes offers 30", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("FrameCounts offers 16", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("MaxCharacters is 3", StringComparison.Ordinal));
    }
}
