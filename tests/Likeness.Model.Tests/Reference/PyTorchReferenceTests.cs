using Likeness.Model.Generation;
using Likeness.Testing;
using static TorchSharp.torch;

namespace Likeness.Model.Tests.Reference;

/// <summary>
/// The video denoiser's PyTorch reference (services/Likeness.Model/Reference, run by Debian's python3-torch) computes what
/// Likeness computes: on the shipped weights, and on weights a PyTorch user initialised and saved with the reference's
/// own <c>save</c>, which Likeness then loads from their manifest.
/// </summary>
public sealed class PyTorchReferenceTests
{
    /// <summary>Largest |difference| allowed between the two implementations' predictions (fp32, different kernels).</summary>
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData(8, 64, false, false)]   // the default clip, the cast shared by the batch as sampling conditions it
    [InlineData(4, 32, true, false)]    // smaller frames (the position table cropped), each clip's own cast as training batches
    [InlineData(8, 64, false, true)]    // a level per frame: the first frames clean, as a clip being continued
    public async Task ShippedDenoiser_PyTorchReference_PredictsTheSame(int frames, int size, bool perClipCast, bool perFrameLevels)
    {
        var manifest = Repository.PathOf("models/video.manifest.json");
        using var video = LoadedVideoModel.FromManifest(manifest, CPU);
        var inputs = PyTorchReference.Inputs(video.Config, frames, size, seed: 7, perFrameLevels);
        try
        {
            await AssertSamePredictionAsync(video.Module, manifest, inputs, perClipCast);
        }
        finally
        {
            Dispose(inputs);
        }
    }

    [Fact]
    public async Task DenoiserSavedByPyTorch_LoadsInLikeness_AndPredictsTheSame()
    {
        using var folder = new TemporaryFolder("likeness-pytorch-model-");
        // A pixel-space model of another shape, initialised by PyTorch and written by the reference's save().
        var save = $$"""
            import sys, torch
            sys.path.insert(0, {{Quoted(Path.GetDirectoryName(PyTorchReference.Script)!)}})
            import likeness_video
            torch.manual_seed(3)
            config = {"width": 64, "blocks": 2, "heads": 4, "patch_size": 4, "max_side": 32, "max_frames": 4,
                      "text_vocabulary": 512, "text_tokens": 8, "identity_dim": 32, "identity_tokens": 4, "max_characters": 2,
                      "train_timesteps": 1000, "objective": "rectified_flow", "channels": 3, "latent_downsample": 1}
            print(likeness_video.save(likeness_video.VideoDenoiser(config), {{Quoted(folder.Path)}}, "pytorch-trained-test"))
            """;
        using var saved = await ChildProcess.RunAsync(PyTorchReference.Python, ["-c", save], TimeSpan.FromMinutes(2));
        Assert.True(saved.ExitCode == 0, saved.ToString());
        var manifest = saved.Output.Trim();

        using var video = LoadedVideoModel.FromManifest(manifest, CPU);
        Assert.Equal("pytorch-trained-test", video.ModelId);
        Assert.False(video.Untrained);
        Assert.Equal(64, video.Config.Width);
        var inputs = PyTorchReference.Inputs(video.Config, frames: 4, size: 32, seed: 11);
        try
        {
            await AssertSamePredictionAsync(video.Module, manifest, inputs);
        }
        finally
        {
            Dispose(inputs);
        }
    }

    private static async Task AssertSamePredictionAsync(
        VideoDenoiser denoiser, string manifest, Dictionary<string, Tensor> inputs, bool perClipCast = false)
    {
        using var ours = PyTorchReference.Predict(denoiser, inputs);
        var (theirs, _, _) = await PyTorchReference.RunAsync(manifest, inputs, threads: 2, repeats: 0, perClipCast);
        using (theirs)
        using (NewDisposeScope())
        {
            Assert.Equal(ours.shape, theirs.shape);
            Assert.Equal(inputs["noisy"].shape, ours.shape);
            // A prediction worth comparing: not constant, and the two rows (with and without identity) differ.
            Assert.True(ours.std().item<float>() > 0.05f, "the prediction varies");
            Assert.True((ours[0] - ours[1]).abs().max().item<float>() > 1e-3f, "identity and prompt change the prediction");
            var difference = (ours - theirs).abs().max().item<float>();
            Assert.True(difference <= Tolerance, $"max |TorchSharp − PyTorch| = {difference:E2}, above {Tolerance:E0}");
        }
    }

    private static string Quoted(string path) => $"r'{path}'";

    private static void Dispose(Dictionary<string, Tensor> tensors)
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
