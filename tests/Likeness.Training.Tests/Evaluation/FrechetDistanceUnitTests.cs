using Likeness.Training.Evaluation;

namespace Likeness.Training.Tests.Evaluation;

public sealed class FrechetDistanceUnitTests
{
    [Fact]
    public void Between_TheSameSet_IsZero()
    {
        var set = Gaussian(seed: 1, count: 200, dimensions: 8, mean: 0, spread: 1);

        Assert.Equal(0, FrechetDistance.Between(set, set), 1e-6);
    }

    [Fact]
    public void Between_ShiftedCopies_IsTheSquaredShift()
    {
        var set = Gaussian(seed: 2, count: 200, dimensions: 8, mean: 0, spread: 1);
        var shifted = set.Select(v => v.Select(x => x + 0.5f).ToArray()).ToList();

        Assert.Equal(8 * 0.25, FrechetDistance.Between(set, shifted), 1e-4);
    }

    [Fact]
    public void Between_WiderSpread_GrowsWithTheCovarianceGap()
    {
        var narrow = Gaussian(seed: 3, count: 400, dimensions: 4, mean: 0, spread: 1);
        var wide = Gaussian(seed: 4, count: 400, dimensions: 4, mean: 0, spread: 2);
        var alike = Gaussian(seed: 5, count: 400, dimensions: 4, mean: 0, spread: 1);

        // For isotropic Gaussians the distance is d·(σ1 − σ2)²: 4 here, about 0 for two draws of the same one.
        Assert.InRange(FrechetDistance.Between(narrow, wide), 3, 5);
        Assert.InRange(FrechetDistance.Between(narrow, alike), 0, 0.3);
    }

    private static List<float[]> Gaussian(int seed, int count, int dimensions, float mean, float spread)
    {
        var random = new Random(seed);
        float Normal() => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dimensions).Select(_ => mean + (spread * Normal())).ToArray()).ToList();
    }
}
