using Likeness.Training.Cast;

namespace Likeness.Training.Tests.Cast;

public sealed class CastRendererUnitTests
{
    private readonly ProceduralCast cast = new(seed: 7);

    [Fact]
    public void Render_SameInputs_GiveTheSameBytes()
    {
        var clip = ClipDirector.Direct(clipSeed: 5, frames: 4);

        var first = CastRenderer.Render(cast.Character(3), clip.Background, clip.Poses[2], 64);
        var second = CastRenderer.Render(cast.Character(3), clip.Background, clip.Poses[2], 64);

        Assert.Equal(first.Rgb, second.Rgb);
        Assert.Equal(first.FaceMask, second.FaceMask);
    }

    [Fact]
    public void Render_FaceMask_LiesInsideTheFaceBoxAndFillsMuchOfIt()
    {
        var clip = ClipDirector.Direct(clipSeed: 9, frames: 8);
        foreach (var pose in clip.Poses)
        {
            var frame = CastRenderer.Render(cast.Character(11), clip.Background, pose, 64);
            var inside = 0;
            var total = 0;
            for (var i = 0; i < 64 * 64; i++)
            {
                if (frame.FaceMask[i] < 128)
                {
                    continue;
                }

                total++;
                float x = ((i % 64) + 0.5f) / 64, y = ((i / 64) + 0.5f) / 64;
                var box = frame.FaceBox;
                inside += x >= box.X - 0.02f && x <= box.X + box.Width + 0.02f && y >= box.Y - 0.02f && y <= box.Y + box.Height + 0.02f ? 1 : 0;
            }

            Assert.Equal(total, inside);
            Assert.True(total > 0.5f * frame.FaceBox.Area * 64 * 64, $"mask {total} px, box {frame.FaceBox.Area * 64 * 64} px");
        }
    }

    [Fact]
    public void Clip_EverythingButTheCharacterChanges()
    {
        var clip = ClipDirector.Direct(clipSeed: 21, frames: 8);

        Assert.Equal(8, clip.Poses.Count);
        Assert.NotEqual(clip.Poses[0].CentreX, clip.Poses[^1].CentreX);
        Assert.NotEqual(clip.Poses[0].Yaw, clip.Poses[^1].Yaw);
        Assert.NotEqual(clip.Poses[0].Light, clip.Poses[^1].Light);
        var first = CastRenderer.Render(cast.Character(1), clip.Background, clip.Poses[0], 64);
        var last = CastRenderer.Render(cast.Character(1), clip.Background, clip.Poses[^1], 64);
        Assert.NotEqual(first.Rgb, last.Rgb);
    }

    [Fact]
    public void Caption_DescribesTheCharacterOnlyWhenAsked()
    {
        var who = cast.Character(4);
        var clip = ClipDirector.Direct(clipSeed: 2, frames: 4);

        Assert.StartsWith("a character ", ClipDirector.Caption(who, clip, describeCharacter: false), StringComparison.Ordinal);
        Assert.StartsWith(who.Describe(), ClipDirector.Caption(who, clip, describeCharacter: true), StringComparison.Ordinal);
    }
}
