using Likeness.Model.Generation;
using Likeness.Model.Identity;
using Likeness.Model.Weights;
using Likeness.Training.Backbone;
using Likeness.Training.Video;

namespace Likeness.Training.Tests.Video;

/// <summary>A backbone, an evaluator and a jointly trained identity + video pair, each trained for a few steps at tiny sizes.</summary>
public sealed class TinyFamily : IDisposable
{
    public static readonly VideoTrainingSettings Settings = new()
    {
        CastSize = 60, Steps = 4, ImageSteps = 1, ImageBatchSize = 3, BatchSize = 2, ClipFrames = 4, PairShare = 0.5, CheckpointEvery = 2,
        Video = new VideoModelConfig
        {
            Width = 32, Blocks = 1, Heads = 2, PatchSize = 4, MaxSide = 16, MaxFrames = 4, TextVocabulary = 64, TextTokens = 8,
            IdentityDim = 32, IdentityTokens = 4, MaxCharacters = 2,
        },
        Identity = new IdentityModelConfig { TokenDim = 32, IdentityTokens = 4, AttentionHeads = 2 },
    };

    public TinyFamily()
    {
        Directory.CreateDirectory(Folder);
        BackboneManifest = Backbone("face-backbone", seed: 1, widths: [16, 32]);
        EvaluatorManifest = Backbone("evaluator", seed: 2, widths: [16, 32, 64]);
        var (identity, video) = VideoTraining.Train(Settings, BackboneManifest, autoencoderManifest: null, Progress.Add, state =>
        {
            Checkpoints.Add(state.Step);
            ModelWeights.Save(state.EmaIdentity, Folder, "identity", $"tiny-identity-at{state.Step}", trained: true, state.EmaIdentity.Config);
            ModelWeights.Save(state.EmaVideo, Folder, "video", $"tiny-video-at{state.Step}", trained: true, state.EmaVideo.Config);
            ModelWeights.Save(state.Identity, LiveFolder, "identity", $"tiny-identity-at{state.Step}", trained: true, state.Identity.Config);
            ModelWeights.Save(state.Video, LiveFolder, "video", $"tiny-video-at{state.Step}", trained: true, state.Video.Config);
        });
        identity.Dispose();
        video.Dispose();
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"likeness-tiny-family-{Guid.NewGuid():N}");

    /// <summary>The live (not averaged) weights of the last checkpoint, which a resumed run starts from.</summary>
    public string LiveFolder => Path.Combine(Folder, "live");

    public string BackboneManifest { get; }

    public string EvaluatorManifest { get; }

    public List<VideoTrainingProgress> Progress { get; } = [];

    public List<int> Checkpoints { get; } = [];

    private string Backbone(string name, long seed, IReadOnlyList<int> widths)
    {
        var settings = new BackboneTrainingSettings { CastSize = 20, Steps = 2, BatchSize = 4, Widths = widths, InputSize = 16, Seed = seed };
        using var backbone = BackboneTraining.Train(settings, _ => { });
        return ModelWeights.Save(backbone, Folder, name, $"tiny-{name}", trained: true,
            new BackboneConfig { InputSize = settings.InputSize, Widths = settings.Widths, Steps = settings.Steps });
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
