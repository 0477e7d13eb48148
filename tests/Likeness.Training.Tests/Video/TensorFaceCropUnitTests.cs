using Likeness.Identity.Images;
using Likeness.Identity.Regions;
using Likeness.Training.Video;
using static TorchSharp.torch;

namespace Likeness.Training.Tests.Video;

public sealed class TensorFaceCropUnitTests
{
    [Theory]
    [InlineData(0.3f, 0.2f, 0.4f, 0.5f)]
    [InlineData(0.0f, 0.0f, 0.2f, 0.3f)]
    [InlineData(0.75f, 0.6f, 0.25f, 0.4f)]
    public void Extract_MatchesTheServicesFaceCrop(float x, float y, float width, float height)
    {
        const int side = 32, size = 24;
        var random = new Random(5);
        var planes = Enumerable.Range(0, 3 * side * side).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
        var box = new NormalizedBox(x, y, width, height);
        var expected = FaceCrop.Extract(planes, side, side, box, size);

        using var frames = tensor(planes, [1, 3, side, side]);
        using var crop = TensorFaceCrop.Extract(frames, [box], size);

        var actual = crop.data<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First, pair.Second, 1e-4f));
    }

    [Fact]
    public void Extract_PassesGradientsBackToTheFrames()
    {
        using var frames = zeros(2, 3, 16, 16).requires_grad_();
        using var crop = TensorFaceCrop.Extract(frames, [new NormalizedBox(0.2f, 0.2f, 0.5f, 0.5f), new NormalizedBox(0.5f, 0.1f, 0.3f, 0.3f)], 8);
        using var sum = crop.sum();

        sum.backward();

        using var perFrame = frames.grad!.abs().sum([1, 2, 3]);
        Assert.All(perFrame.data<float>().ToArray(), g => Assert.True(g > 0));
    }
}
