using Likeness.Model.Latents;
using Likeness.Training.Autoencoder;

namespace Likeness.Training.Tests.Autoencoder;

public sealed class AutoencoderTrainingTests
{
    private static readonly AutoencoderTrainingSettings Tiny = new()
    {
        CastSize = 40, Steps = 4, BatchSize = 4, Side = 16, Autoencoder = new AutoencoderConfig { Widths = [8, 8], LatentChannels = 4 },
    };

    [Fact]
    public void Train_LogsFiniteLosses_AndMeasuresUnitScaleLatents()
    {
        var progress = new List<LossProgress>();

        using var model = AutoencoderTraining.Train(Tiny, progress.Add);

        Assert.Equal([1, 4], progress.Select(p => p.Step));
        Assert.All(progress, p => Assert.True(double.IsFinite(p.Loss) && p.Loss > 0));
        Assert.NotEqual(1f, model.Config.ScalingFactor);
        var error = AutoencoderTraining.Measure(model, Tiny.CastSeed, Tiny.CastSize, frames: 8, Tiny.Side);
        Assert.True(double.IsFinite(error.Psnr) && error.MeanSquaredError > 0);
    }

    [Fact]
    public void FineTuneDecoder_ChangesTheDecoderOnly()
    {
        using var model = AutoencoderTraining.Train(Tiny, _ => { });
        var decoderBefore = model.DecoderParameters().Select(p => p.detach().clone()).ToList();
        var everythingBefore = model.parameters().Select(p => p.detach().clone()).ToList();

        AutoencoderTraining.FineTuneDecoder(model, Tiny, maxLatentNoise: 0.5f, _ => { });

        var decoderAfter = model.DecoderParameters().ToList();
        Assert.Contains(decoderBefore.Zip(decoderAfter), pair => !pair.First.allclose(pair.Second, rtol: 0, atol: 0));
        var decoderCount = decoderAfter.Count;
        var encoderPairs = everythingBefore.Zip(model.parameters()).Where(pair => !decoderAfter.Any(d => ReferenceEquals(d, pair.Second))).ToList();
        Assert.Equal(everythingBefore.Count - decoderCount, encoderPairs.Count);
        Assert.All(encoderPairs, pair => Assert.True(pair.First.allclose(pair.Second, rtol: 0, atol: 0)));
    }
}
