using Likeness.Training.Cast;
using Likeness.Training.Video;

namespace Likeness.Training.Tests.Video;

public sealed class ClipSamplesUnitTests
{
    private static readonly ProceduralCast Cast = new(7);
    private static readonly ClipSamples Samples = new(Cast, Cast.Training(100).Select(c => c.Id).ToList(), frames: 4, side: 32, patchSize: 4, referenceSize: 32);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Next_GivesEveryArrayItsShape(int characters)
    {
        var batch = Samples.Next(new Random(1), size: 3, characters);

        Assert.Equal(3 * 4 * 3 * 32 * 32, batch.Clips.Length);
        Assert.Equal(3 * characters * 3 * 32 * 32, batch.References.Length);
        Assert.Equal(3 * characters * 4 * 8 * 8, batch.Regions.Length);
        Assert.Equal(3 * characters * 4, batch.FaceBoxes.Length);
        Assert.Equal(3, batch.Captions.Length);
        Assert.All(batch.Clips, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Next_NeverDrawsAHeldOutCharacterAndPairsAreTwoPeople()
    {
        var batch = Samples.Next(new Random(2), size: 8, characters: 2);

        Assert.DoesNotContain(batch.Identities, ProceduralCast.IsHeldOut);
        Assert.All(batch.Identities.Chunk(2), pair => Assert.NotEqual(pair[0], pair[1]));
    }

    [Fact]
    public void Next_RegionsCoverEachFaceAndPairsDoNotOverlap()
    {
        var batch = Samples.Next(new Random(3), size: 4, characters: 2);
        var perCharacter = 4 * 8 * 8;

        for (var b = 0; b < 4; b++)
        {
            var first = batch.Regions.AsSpan(((b * 2) + 0) * perCharacter, perCharacter).ToArray();
            var second = batch.Regions.AsSpan(((b * 2) + 1) * perCharacter, perCharacter).ToArray();
            Assert.True(first.Sum() >= 4 && second.Sum() >= 4);
            Assert.Equal(0f, first.Zip(second, (a, c) => a * c).Sum());
        }
    }

    [Fact]
    public void Next_SameSeed_SameBatch()
    {
        var first = Samples.Next(new Random(4), size: 2, characters: 1);
        var second = Samples.Next(new Random(4), size: 2, characters: 1);

        Assert.Equal(first.Clips, second.Clips);
        Assert.Equal(first.Captions, second.Captions);
    }
}
