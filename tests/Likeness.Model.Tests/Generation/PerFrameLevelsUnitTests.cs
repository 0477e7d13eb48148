using Likeness.Model.Generation;
using Likeness.Testing;
using static TorchSharp.torch;

namespace Likeness.Model.Tests.Generation;

/// <summary>The denoiser reads a noise level per frame ([batch, frames] timesteps) as well as one per clip ([batch]).</summary>
public sealed class PerFrameLevelsUnitTests : IDisposable
{
    private readonly LoadedVideoModel model = LoadedVideoModel.Seeded(LoadedVideoModelUnitTests.Tiny, seed: 3, CPU);

    [Fact]
    public void Denoiser_TheSameLevelForEveryFrame_PredictsAsOneLevelForTheClip_AndAnotherLevelForOneFrameChangesIt()
    {
        const int frames = 4;
        var inputs = PyTorchReference.Inputs(model.Config, frames, size: 32, seed: 11);
        try
        {
            using var perClip = PyTorchReference.Predict(model.Module, inputs);
            inputs["timesteps"].Dispose();
            inputs["timesteps"] = full([2, frames], 500f);
            using var perFrame = PyTorchReference.Predict(model.Module, inputs);
            inputs["timesteps"][.., 0] = tensor(0f);
            using var firstFrameClean = PyTorchReference.Predict(model.Module, inputs);

            Assert.True(perFrame.allclose(perClip, rtol: 0, atol: 1e-6), "[batch, frames] of one level differs from [batch]");
            Assert.False(firstFrameClean.allclose(perFrame, rtol: 0, atol: 1e-4), "a frame's own level changes nothing");
        }
        finally
        {
            foreach (var tensor in inputs.Values)
            {
                tensor.Dispose();
            }
        }
    }

    public void Dispose() => model.Dispose();
}
