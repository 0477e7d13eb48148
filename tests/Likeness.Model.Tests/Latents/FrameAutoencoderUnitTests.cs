using Likeness.Model.Latents;
using Likeness.Model.Weights;
using static TorchSharp.torch;

namespace Likeness.Model.Tests.Latents;

public sealed class FrameAutoencoderUnitTests
{
    [Fact]
    public void EncodeDecode_Shapes_FourTimesDown_AndBack()
    {
        using var scope = NewDisposeScope();
        using var model = ModelWeights.Seeded(1, () => new FrameAutoencoder(new AutoencoderConfig()));
        model.eval();
        var frames = rand([2, 3, 64, 64]) * 2 - 1;

        var latents = model.Encode(frames);
        var decoded = model.Decode(latents);

        Assert.Equal(4, model.Config.Downsample);
        Assert.Equal([2L, 4, 16, 16], latents.shape);
        Assert.Equal([2L, 3, 64, 64], decoded.shape);
        Assert.Equal([2L, 3, 64, 64], model.call(frames).shape);
    }

    [Fact]
    public void LatentStatistics_ScaleTheLatents_WithoutChangingTheRoundTrip()
    {
        using var scope = NewDisposeScope();
        using var model = ModelWeights.Seeded(1, () => new FrameAutoencoder(new AutoencoderConfig { Widths = [8, 8], LatentChannels = 4 }));
        model.eval();
        var frames = rand([1, 3, 16, 16]) * 2 - 1;
        var raw = model.Encode(frames);
        var reconstruction = model.call(frames);

        model.UseLatentStatistics(shift: 0.25f, scale: 3f);

        Assert.True(model.Encode(frames).allclose((raw - 0.25f) * 3f, rtol: 1e-4, atol: 1e-5));
        Assert.True(model.call(frames).allclose(reconstruction, rtol: 1e-4, atol: 1e-4));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(float.NaN)]
    public void Config_UnusableScale_IsRefused(float scale)
    {
        Assert.Throws<InvalidOperationException>(() => new AutoencoderConfig { ScalingFactor = scale }.Validate());
    }
}
