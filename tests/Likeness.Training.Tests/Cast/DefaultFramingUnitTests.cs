using Likeness.Identity.Regions;
using Likeness.Training.Cast;

namespace Likeness.Training.Tests.Cast;

/// <summary>
/// The generator's default framing is where the cast's clips put faces: if the renderer or the clip director changes
/// what the video family is trained on, these fail until <see cref="DefaultFraming"/> follows.
/// </summary>
public sealed class DefaultFramingUnitTests
{
    private const int Clips = 200;
    private const float Tolerance = 0.03f;

    private readonly ProceduralCast cast = new(seed: 7);

    [Fact]
    public void Solo_IsTheMeanFaceBoxOfTheCastsSoloClips()
    {
        var boxes = Enumerable.Range(0, Clips).SelectMany(clip =>
        {
            var script = ClipDirector.Direct(clipSeed: clip, frames: 4);
            return script.Poses.Select(pose => CastRenderer.Render(cast.Character(clip), script.Background, pose, 64).FaceBox);
        }).ToList();

        AssertNear(Mean(boxes), DefaultFraming.For(0, 1).Box);
    }

    [Fact]
    public void Pair_IsTheMeanFaceBoxOfEachSideOfTheCastsPairClips()
    {
        var (left, right) = (new List<NormalizedBox>(), new List<NormalizedBox>());
        for (var clip = 0; clip < Clips; clip++)
        {
            var (a, b) = ClipDirector.DirectPair(clipSeed: clip, frames: 4);
            for (var f = 0; f < 4; f++)
            {
                var scene = CastRenderer.RenderScene([new CastMember(cast.Character(2 * clip), a.Poses[f]), new CastMember(cast.Character((2 * clip) + 1), b.Poses[f])], a.Background, 64);
                left.Add(scene.FaceBoxes[0]);
                right.Add(scene.FaceBoxes[1]);
            }
        }

        AssertNear(Mean(left), DefaultFraming.For(0, 2).Box);
        AssertNear(Mean(right), DefaultFraming.For(1, 2).Box);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    public void Group_BoxesStayInTheFrameInOrder_WithoutOverlapping(int count)
    {
        var boxes = Enumerable.Range(0, count).Select(i => DefaultFraming.For(i, count).Box).ToList();

        Assert.All(boxes, b => Assert.True(b.X >= 0 && b.Y >= 0 && b.X + b.Width <= 1 && b.Y + b.Height <= 1, $"{b} leaves the frame"));
        Assert.All(boxes.Zip(boxes.Skip(1)), p => Assert.True(p.First.X + p.First.Width < p.Second.X, $"{p.First} overlaps {p.Second}"));
    }

    private static NormalizedBox Mean(List<NormalizedBox> boxes) =>
        new(boxes.Average(b => b.X), boxes.Average(b => b.Y), boxes.Average(b => b.Width), boxes.Average(b => b.Height));

    private static void AssertNear(NormalizedBox expected, NormalizedBox actual) =>
        Assert.True(
            Math.Abs(expected.X - actual.X) <= Tolerance && Math.Abs(expected.Y - actual.Y) <= Tolerance
            && Math.Abs(expected.Width - actual.Width) <= Tolerance && Math.Abs(expected.Height - actual.Height) <= Tolerance,
            $"the cast's mean face box is {expected}; the default framing is {actual}");
}
