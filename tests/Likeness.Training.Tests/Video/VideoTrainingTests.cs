using Likeness.Model.Generation;
using Likeness.Model.Identity;
using Likeness.Training.Video;
using TorchSharp;

namespace Likeness.Training.Tests.Video;

public sealed class VideoTrainingTests(TinyFamily family) : IClassFixture<TinyFamily>
{
    [Fact]
    public void Train_ReportsFiniteLossesAndCheckpointsOnSchedule()
    {
        Assert.Equal([1, 4], family.Progress.Select(p => p.Step));
        Assert.All(family.Progress, p => Assert.True(double.IsFinite(p.DiffusionLoss) && p.DiffusionLoss > 0 && double.IsFinite(p.IdentityLoss) && p.IdentityLoss >= 0));
        Assert.Equal([2, 4], family.Checkpoints);
    }

    [Fact]
    public void Checkpoints_LoadAsTheServicesLoadModels_AndTheirTokensFitTheVideoModel()
    {
        using var identity = LoadedIdentityModel.FromManifest(Path.Combine(family.Folder, "identity.manifest.json"), torch.CPU);
        using var video = LoadedVideoModel.FromManifest(Path.Combine(family.Folder, "video.manifest.json"), torch.CPU);

        Assert.False(identity.Untrained);
        Assert.False(video.Untrained);
        Assert.Equal(16, identity.Config.InputSize);
        var encoded = identity.Encode(new float[identity.CropLength], 1, []);
        Assert.Equal(video.Config.IdentityTokens * video.Config.IdentityDim, encoded.Tokens.Length);
        var clip = video.Sample(new SamplingRequest
        {
            Frames = 4, Height = 16, Width = 16, Steps = 2, GuidanceScale = 2, Seed = 1, Prompt = "a character talks",
            Characters = [new SamplingCharacter(encoded.Tokens, 0.8f, Enumerable.Repeat(1f, 4 * 4 * 4).ToArray())],
        }, _ => { }, CancellationToken.None);
        Assert.All(clip, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Train_AsContinuations_ReportsFiniteLosses_AndIsRefusedForTheEpsilonObjective()
    {
        var settings = TinyFamily.Settings with { Steps = 2, ContextShare = 1, CheckpointEvery = 100 };
        var progress = new List<VideoTrainingProgress>();

        var (identity, video) = VideoTraining.Train(settings, family.BackboneManifest, null, progress.Add, _ => { });
        var recorded = video.Config.ContextNoiseLevel;
        identity.Dispose();
        video.Dispose();

        Assert.Equal(settings.ContextNoiseLevel, recorded); // so its continuations keep given frames at the level it trained
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.True(double.IsFinite(p.DiffusionLoss) && p.DiffusionLoss > 0, $"{p}"));
        var epsilon = settings with { Video = settings.Video with { Objective = Likeness.Model.Generation.Sampling.DenoisingObjectiveKind.Epsilon } };
        Assert.Throws<ArgumentException>(() => VideoTraining.Train(epsilon, family.BackboneManifest, null, _ => { }, _ => { }));
    }

    [Fact]
    public void Train_FromACheckpoint_GoesOnAtTheNextStep()
    {
        var resume = new TrainingCheckpoint(
            Path.Combine(family.LiveFolder, "identity.manifest.json"), Path.Combine(family.LiveFolder, "video.manifest.json"),
            Path.Combine(family.Folder, "identity.manifest.json"), Path.Combine(family.Folder, "video.manifest.json"), Step: 3);
        var progress = new List<VideoTrainingProgress>();
        var checkpoints = new List<int>();

        var (identity, video) = VideoTraining.Train(TinyFamily.Settings, family.BackboneManifest, null, progress.Add, state => checkpoints.Add(state.Step), resume);
        identity.Dispose();
        video.Dispose();

        Assert.Equal([4], progress.Select(p => p.Step));
        Assert.Equal([4], checkpoints);
    }

    [Fact]
    public void Train_FromACheckpointWithoutGivenFrames_MayGoOnAsContinuations_AndRecordsTheLevel()
    {
        var resume = new TrainingCheckpoint(
            Path.Combine(family.LiveFolder, "identity.manifest.json"), Path.Combine(family.LiveFolder, "video.manifest.json"),
            Path.Combine(family.Folder, "identity.manifest.json"), Path.Combine(family.Folder, "video.manifest.json"), Step: 3);
        var settings = TinyFamily.Settings with { ContextShare = 1 };
        var progress = new List<VideoTrainingProgress>();

        var (identity, video) = VideoTraining.Train(settings, family.BackboneManifest, null, progress.Add, _ => { }, resume);
        var recorded = video.Config.ContextNoiseLevel;
        identity.Dispose();
        video.Dispose();

        using var resumed = LoadedVideoModel.FromManifest(resume.VideoManifest, torch.CPU);
        Assert.Null(resumed.Config.ContextNoiseLevel);
        Assert.Equal([4], progress.Select(p => p.Step));
        Assert.Equal(settings.ContextNoiseLevel, recorded);
    }

    [Fact]
    public void Train_ResumingACheckpointAsAnotherObjective_IsRefused()
    {
        var resume = new TrainingCheckpoint(
            Path.Combine(family.LiveFolder, "identity.manifest.json"), Path.Combine(family.LiveFolder, "video.manifest.json"),
            Path.Combine(family.Folder, "identity.manifest.json"), Path.Combine(family.Folder, "video.manifest.json"), Step: 3);
        var settings = TinyFamily.Settings with
        {
            Video = TinyFamily.Settings.Video with { Objective = Likeness.Model.Generation.Sampling.DenoisingObjectiveKind.Epsilon },
        };

        var error = Assert.Throws<InvalidOperationException>(() => VideoTraining.Train(settings, family.BackboneManifest, null, _ => { }, _ => { }, resume));

        Assert.Contains("resume with the settings it was trained with", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_TokensOfAnotherShape_AreRefused()
    {
        var settings = TinyFamily.Settings with { Identity = TinyFamily.Settings.Identity with { TokenDim = 16, AttentionHeads = 2 } };

        var error = Assert.Throws<InvalidOperationException>(() => VideoTraining.Train(settings, family.BackboneManifest, null, _ => { }, _ => { }));

        Assert.Contains("shape", error.Message, StringComparison.Ordinal);
    }
}
