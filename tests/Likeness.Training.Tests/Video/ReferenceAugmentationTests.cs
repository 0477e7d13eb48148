using Likeness.Training.Cast;
using Likeness.Training.Video;

namespace Likeness.Training.Tests.Video;

public sealed class ReferenceAugmentationTests
{
    private const int Side = 96;

    private static byte[] Render() =>
        CastRenderer.Render(new ProceduralCast(seed: 7).Character(11), ClipDirector.Direct(3, frames: 1).Background, ClipDirector.Direct(3, frames: 1).Poses[0], Side).Rgb;

    [Fact]
    public void Apply_KeepsTheSizeAndTheInput_AndTheSameDrawGivesTheSameImage()
    {
        var rgb = Render();
        var before = (byte[])rgb.Clone();

        var first = ReferenceAugmentation.Apply(rgb, Side, new Random(5));
        var again = ReferenceAugmentation.Apply(rgb, Side, new Random(5));

        Assert.Equal(before, rgb);
        Assert.Equal(rgb.Length, first.Length);
        Assert.Equal(first, again);
    }

    [Fact]
    public void Apply_ChangesMostPhotos_ButKeepsThemThePhoto()
    {
        var rgb = Render();
        var changed = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var augmented = ReferenceAugmentation.Apply(rgb, Side, new Random(seed));
            var meanDifference = augmented.Zip(rgb, (a, b) => Math.Abs(a - b)).Average();
            changed += meanDifference > 0.5 ? 1 : 0;

            // A photo of the same face: exposure ±25% and a light blur or JPEG, never a different picture.
            Assert.True(meanDifference < 40, $"draw {seed} moves pixels by {meanDifference:0.0} on average");
        }

        // Each effect is drawn independently (0.5, 0.25, 0.5), so about 81% of photos are changed.
        Assert.InRange(changed, 24, 39);
    }
}
