using Likeness.Media;
using Likeness.Training.Evaluation;

namespace Likeness.Training.Tests.Evaluation;

public sealed class ClipMeasuresUnitTests
{
    [Fact]
    public void EdgeEnergy_FlatFrames_IsZero_NoiseIsHigh_AStepIsItsEdgeOnly()
    {
        const int side = 8;
        var flat = new ClipFrames(Enumerable.Repeat(0.3f, 3 * side * side).ToArray(), 1, side, side);
        var random = new Random(1);
        var noise = new ClipFrames(Enumerable.Range(0, 3 * side * side).Select(_ => (random.NextSingle() * 2) - 1).ToArray(), 1, side, side);
        // Left half -1, right half 1: one vertical edge of height 2 in each row and channel.
        var step = new ClipFrames(Enumerable.Range(0, 3 * side * side).Select(i => i % side < side / 2 ? -1f : 1f).ToArray(), 1, side, side);

        Assert.Equal(0, ClipMeasures.EdgeEnergy(flat));
        Assert.True(ClipMeasures.EdgeEnergy(noise) > 0.5);
        Assert.Equal(2.0 * side / (2 * side * (side - 1)), ClipMeasures.EdgeEnergy(step), 1e-9);
    }

    [Fact]
    public void MotionAmplitude_FrozenClipIsZero_AndAFlickerIsItsChange()
    {
        const int side = 4;
        var frozen = new ClipFrames(Enumerable.Repeat(0.5f, 3 * 3 * side * side).ToArray(), 3, side, side);
        // Frames of -1, 1, -1: every value changes by 2 between adjacent frames.
        var flicker = new ClipFrames(Enumerable.Range(0, 3 * 3 * side * side).Select(i => i / (3 * side * side) == 1 ? 1f : -1f).ToArray(), 3, side, side);
        var single = new ClipFrames(Enumerable.Repeat(0.5f, 3 * side * side).ToArray(), 1, side, side);

        Assert.Equal(0, ClipMeasures.MotionAmplitude(frozen));
        Assert.Equal(2, ClipMeasures.MotionAmplitude(flicker), 1e-9);
        Assert.Equal(0, ClipMeasures.MotionAmplitude(single));
    }
}
