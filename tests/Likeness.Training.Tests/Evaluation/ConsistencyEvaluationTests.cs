using Likeness.Model.Generation;
using Likeness.Model.Identity;
using Likeness.Training.Backbone;
using Likeness.Training.Cast;
using Likeness.Training.Evaluation;
using Likeness.Training.Traits;
using Likeness.Training.Tests.Video;
using TorchSharp;

namespace Likeness.Training.Tests.Evaluation;

public sealed class ConsistencyEvaluationTests(TinyFamily family) : IClassFixture<TinyFamily>
{
    [Fact]
    public void Run_MeasuresEveryConditionAndBaselineAndWritesContactSheets()
    {
        using var identity = LoadedIdentityModel.FromManifest(Path.Combine(family.Folder, "identity.manifest.json"), torch.CPU);
        using var video = LoadedVideoModel.FromManifest(Path.Combine(family.Folder, "video.manifest.json"), torch.CPU);
        var (evaluator, manifest) = BackboneConfig.Load(family.EvaluatorManifest);
        using var _ = evaluator;
        var sheets = Path.Combine(family.Folder, "sheets");
        Directory.CreateDirectory(sheets);
        var settings = new EvaluationSettings { CastSize = 60, FirstId = 20, Characters = 2, Steps = 1, Frames = 4, ContactSheets = 1, ReferenceSides = [64, 256] };
        using var traits = TraitTraining.Train(
            new TraitTrainingSettings { CastSize = 20, Steps = 2, BatchSize = 4, Classifier = new TraitClassifierConfig { InputSize = 16, Widths = [8, 16] } },
            _ => { });

        var report = new ConsistencyEvaluation(settings, identity, video, evaluator, manifest.ModelId, traits).Run(sheets, _ => { });

        Assert.Equal(6, report.Gallery);
        var conditions = report.Rows.Select(r => (r.Group, r.Condition)).ToHashSet();
        Assert.Contains(("baseline", "renderer's own frames (upper bound)"), conditions);
        Assert.Contains(("baseline", "identity_strength 0 (no identity)"), conditions);
        Assert.Contains(("baseline", "another character's identity (impostor)"), conditions);
        Assert.Equal(settings.Strengths.Count, report.Rows.Count(r => r.Group == "identity_strength"));
        Assert.Equal(3, report.Rows.Count(r => r.Group == "references"));
        Assert.Equal(4, report.Rows.Count(r => r.Group == "reference quality"));
        Assert.Equal(2, report.Rows.Count(r => r.Group == "prompt"));
        Assert.Equal(["64 px", "256 px"], report.Rows.Where(r => r.Group == "reference size").Select(r => r.Condition));
        Assert.Equal(3, report.Rows.Count(r => r.Group == "region"));
        Assert.Equal(1.0, report.Rows.First(r => r.Condition.StartsWith("renderer", StringComparison.Ordinal)).MotionRatio, 1e-9);
        Assert.True(File.Exists(Path.Combine(sheets, "contact-0020.png")), "from --first-id 20 on, the first sheet is character 20's");
        Assert.All(report.Rows, r => Assert.Equal(2, r.Clips));
        Assert.All(report.Rows, r => Assert.InRange(r.FaceSim, -1, 1));
        Assert.Equal(1.0, report.Rows.First(r => r.Condition.StartsWith("renderer", StringComparison.Ordinal)).EdgeRatio, 1e-9);
        Assert.Equal(2, report.Pairs.Clips);
        Assert.Equal(3, report.Traits.Count);
        Assert.All(report.Traits, t => Assert.Equal(CastTrait.All.Count, t.Accuracy.Count));
        Assert.All(report.Traits.SelectMany(t => t.Accuracy).Where(double.IsFinite), a => Assert.InRange(a, 0, 1));
        Assert.True(report.Frechet.Generated >= 0 && report.Frechet.Floor >= 0, $"{report.Frechet}");
        Assert.Equal(2 * settings.Frames, report.Frechet.Samples);

        Assert.True(File.Exists(Path.Combine(sheets, "contact-sheet.png")));
        Assert.True(File.Exists(Path.Combine(sheets, "contact-pair.png")));
    }

    [Fact]
    public void Constructor_MoreFramesThanTheModelMakes_IsRefused()
    {
        using var identity = LoadedIdentityModel.FromManifest(Path.Combine(family.Folder, "identity.manifest.json"), torch.CPU);
        using var video = LoadedVideoModel.FromManifest(Path.Combine(family.Folder, "video.manifest.json"), torch.CPU);
        var (evaluator, manifest) = BackboneConfig.Load(family.EvaluatorManifest);
        using var _ = evaluator;

        var error = Assert.Throws<ArgumentException>(() =>
            new ConsistencyEvaluation(new EvaluationSettings { Frames = 8 }, identity, video, evaluator, manifest.ModelId));

        Assert.Contains("8 frames", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferencePhotos_DegradeAsNamed()
    {
        var who = new ProceduralCast(7).Character(10);
        var clean = ReferencePhotos.Render(who, 3, ReferenceQuality.Clean);
        var dark = ReferencePhotos.Render(who, 3, ReferenceQuality.Dark);
        var blurred = ReferencePhotos.Render(who, 3, ReferenceQuality.Blurred);
        var small = ReferencePhotos.Render(who, 3, ReferenceQuality.LowResolution);

        Assert.True(dark.Rgb.Average(v => v) < 0.35 * clean.Rgb.Average(v => v));
        Assert.True(SharpestEdge(blurred.Rgb, blurred.Size) < 0.5 * SharpestEdge(clean.Rgb, clean.Size));
        Assert.Equal(ReferencePhotos.LowResolutionSide, small.Size);
    }

    /// <summary>Largest difference of red between horizontally adjacent pixels.</summary>
    private static int SharpestEdge(byte[] rgb, int side) =>
        Enumerable.Range(0, side).SelectMany(y => Enumerable.Range(0, side - 1).Select(x => Math.Abs(rgb[((y * side) + x) * 3] - rgb[((y * side) + x + 1) * 3]))).Max();
}
