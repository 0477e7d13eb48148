using Likeness.Model.Generation;
using Likeness.Model.Latents;
using Likeness.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Likeness.Model.Tests.Generation;

/// <summary>A denoiser that works on the frame autoencoder's latents: frames and previews still come out as pixels.</summary>
public sealed class LatentVideoModelUnitTests : IDisposable
{
    private static readonly AutoencoderConfig TinyAutoencoder = new() { Widths = [8, 8], LatentChannels = 4 };

    private static readonly VideoModelConfig Tiny = LoadedVideoModelUnitTests.Tiny with { Channels = 4, LatentDownsample = 2 };

    private readonly LoadedVideoModel model = LoadedVideoModel.Seeded(Tiny, seed: 3, CPU, ModelWeights.Seeded(4, () => new FrameAutoencoder(TinyAutoencoder)));

    [Fact]
    public void Sample_DecodesFramesAndPreviewsToPixelsInRange()
    {
        var steps = new List<SamplingStep>();

        var frames = model.Sample(LoadedVideoModelUnitTests.Request(seed: 1) with { PreviewAt = s => s == 2 }, steps.Add, default);

        Assert.Equal(4 * 3 * 32 * 32, frames.Length);
        Assert.All(frames, v => Assert.InRange(v, -1f, 1f));
        Assert.Equal(4 * 3 * 32 * 32, steps[1].CleanEstimate!.Length);
    }

    [Fact]
    public void Sample_StrengthZero_DoesNotDependOnTheIdentity()
    {
        var first = model.Sample(LoadedVideoModelUnitTests.Request(seed: 5, identitySeed: 1, strength: 0), _ => { }, default);
        var second = model.Sample(LoadedVideoModelUnitTests.Request(seed: 5, identitySeed: 2, strength: 0), _ => { }, default);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Sample_Repeated_LeavesNoLiveTensors()
    {
        model.Sample(LoadedVideoModelUnitTests.Request(seed: 1), _ => { }, default);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (var i = 0; i < 5; i++)
        {
            model.Sample(LoadedVideoModelUnitTests.Request(seed: (ulong)i) with { PreviewAt = _ => true }, _ => { }, default);
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void FromManifest_LoadsTheAutoencoderItNames_AndSamplesTheSameFrames()
    {
        using var folder = new TemporaryFolder("likeness-latent-");
        var directory = folder.Path;
        using var loaded = LoadedVideoModel.FromManifest(model.Save(directory), CPU);

        Assert.True(File.Exists(Path.Combine(directory, "autoencoder.manifest.json")));
        Assert.NotNull(loaded.Autoencoder);
        Assert.Equal(model.Sample(LoadedVideoModelUnitTests.Request(seed: 2), _ => { }, default),
            loaded.Sample(LoadedVideoModelUnitTests.Request(seed: 2), _ => { }, default));
    }

    [Fact]
    public void FromManifest_AutoencoderWeightsChanged_IsRefusedNamingTheChecksum()
    {
        using var folder = new TemporaryFolder("likeness-latent-");
        var directory = folder.Path;
        var manifest = model.Save(directory);
        using (var weights = File.OpenWrite(Path.Combine(directory, "autoencoder.safetensors")))
        {
            weights.Seek(-1, SeekOrigin.End);
            weights.WriteByte(0x5A);
        }

        var error = Assert.Throws<InvalidDataException>(() => LoadedVideoModel.FromManifest(manifest, CPU));

        Assert.Contains("sha256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromManifest_AutoencoderOfAnotherLatentShape_IsRefused()
    {
        using var folder = new TemporaryFolder("likeness-latent-");
        var directory = folder.Path;
        var manifest = model.Save(directory);
        using (var other = ModelWeights.Seeded(5, () => new FrameAutoencoder(TinyAutoencoder with { LatentChannels = 8 })))
        {
            ModelWeights.Save(other, directory, "autoencoder", "other-autoencoder", trained: false, other.Config);
        }

        var error = Assert.Throws<InvalidDataException>(() => LoadedVideoModel.FromManifest(manifest, CPU));

        Assert.Contains("8 latent channels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromManifest_AnotherAutoencoderOfTheSameShape_IsRefusedByItsId()
    {
        using var folder = new TemporaryFolder("likeness-latent-");
        var directory = folder.Path;
        var manifestPath = model.Save(directory);
        var manifest = ModelManifest.ReadVerified(manifestPath).Manifest;
        var config = VideoModelConfig.Read(manifest) with { AutoencoderId = "likeness-autoencoder-v1-some-other-run" };
        ModelManifest.Write(manifestPath, manifest.ModelId, manifest.Trained, config, manifest.Weights);

        var error = Assert.Throws<InvalidDataException>(() => LoadedVideoModel.FromManifest(manifestPath, CPU));

        Assert.Contains("some-other-run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seeded_AutoencoderOfAnotherSpace_IsRefused()
    {
        using var autoencoder = ModelWeights.Seeded(4, () => new FrameAutoencoder(TinyAutoencoder));

        Assert.Throws<ArgumentException>(() => LoadedVideoModel.Seeded(LoadedVideoModelUnitTests.Tiny, seed: 3, CPU, autoencoder));
    }

    public void Dispose() => model.Dispose();
}
