using Likeness.Model.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace Likeness.Model.Tests.Generation;

public sealed class LoadedVideoModelUnitTests : IDisposable
{
    internal static readonly VideoModelConfig Tiny = new()
    {
        Width = 64, Blocks = 2, Heads = 4, PatchSize = 4, MaxSide = 32, MaxFrames = 8,
        IdentityDim = 48, IdentityTokens = 8, MaxCharacters = 4, TextTokens = 8, TextVocabulary = 256,
    };

    private readonly LoadedVideoModel model = LoadedVideoModel.Seeded(Tiny, seed: 3, CPU);

    [Fact]
    public void Sample_ReturnsEveryFrameInRange()
    {
        var frames = model.Sample(Request(seed: 1), _ => { }, default);

        Assert.Equal(4 * 3 * 32 * 32, frames.Length);
        Assert.All(frames, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Sample_SameSeed_IsIdentical_OtherSeed_Differs()
    {
        var first = model.Sample(Request(seed: 5), _ => { }, default);

        Assert.Equal(first, model.Sample(Request(seed: 5), _ => { }, default));
        Assert.NotEqual(first, model.Sample(Request(seed: 6), _ => { }, default));
    }

    [Fact]
    public void Sample_OtherIdentity_GivesOtherFrames()
    {
        var first = model.Sample(Request(seed: 5, identitySeed: 1), _ => { }, default);
        var second = model.Sample(Request(seed: 5, identitySeed: 2), _ => { }, default);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Sample_StrengthZero_DoesNotDependOnTheIdentity()
    {
        var first = model.Sample(Request(seed: 5, identitySeed: 1, strength: 0), _ => { }, default);
        var second = model.Sample(Request(seed: 5, identitySeed: 2, strength: 0), _ => { }, default);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Sample_ReportsEveryStep_WithEstimatesOnlyWhereAsked()
    {
        var steps = new List<SamplingStep>();

        model.Sample(Request(seed: 1) with { Steps = 4, PreviewAt = s => s % 2 == 0 }, steps.Add, default);

        Assert.Equal([1, 2, 3, 4], steps.Select(s => s.Step));
        Assert.Equal([false, true, false, true], steps.Select(s => s.CleanEstimate is not null));
        Assert.Equal(4 * 3 * 32 * 32, steps[1].CleanEstimate!.Length);
    }

    [Fact]
    public void Sample_CancelledDuringAStep_StopsBeforeTheNext()
    {
        using var cancellation = new CancellationTokenSource();
        var steps = 0;

        Assert.ThrowsAny<OperationCanceledException>(() => model.Sample(Request(seed: 1) with { Steps = 10 }, _ =>
        {
            steps++;
            cancellation.Cancel();
        }, cancellation.Token));

        Assert.Equal(1, steps);
    }

    [Fact]
    public void Sample_Repeated_LeavesNoLiveTensors()
    {
        model.Sample(Request(seed: 1), _ => { }, default);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (var i = 0; i < 10; i++)
        {
            model.Sample(Request(seed: (ulong)i) with { PreviewAt = _ => true }, _ => { }, default);
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void FromManifest_SavedWeights_SampleTheSameFrames()
    {
        using var folder = new TemporaryFolder("likeness-video-");
        var directory = folder.Path;
        using var loaded = LoadedVideoModel.FromManifest(model.Save(directory), CPU);

        Assert.Equal(model.ModelId, loaded.ModelId);
        Assert.True(loaded.Untrained);
        Assert.Equal(model.Sample(Request(seed: 2), _ => { }, default), loaded.Sample(Request(seed: 2), _ => { }, default));
    }

    [Fact]
    public void FromManifest_WrittenBeforeTheObjectiveWasRecorded_SamplesAsEpsilon()
    {
        using var folder = new TemporaryFolder("likeness-video-");
        var directory = folder.Path;
        var manifestPath = model.Save(directory);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!;
        Assert.Equal("rectified_flow", (string?)json["config"]!["objective"]);
        json["config"]!.AsObject().Remove("objective");
        File.WriteAllText(manifestPath, json.ToJsonString());

        using var loaded = LoadedVideoModel.FromManifest(manifestPath, CPU);

        Assert.Equal(Likeness.Model.Generation.Sampling.DenoisingObjectiveKind.Epsilon, loaded.Objective.Kind);
    }

    [Fact]
    public void Sample_WithContext_EndsOnTheGivenFrames_AndMakesTheRestFromThem()
    {
        var plain = model.Sample(Request(seed: 7), _ => { }, default);
        var frame = 3 * 32 * 32;
        var random = new Random(4);
        var context = Enumerable.Range(0, 2 * frame).Select(_ => (random.NextSingle() * 1.6f) - 0.8f).ToArray();
        var otherContext = context.Select(v => -v).ToArray();

        var continued = model.Sample(Request(seed: 7) with { Context = context }, _ => { }, default);
        var again = model.Sample(Request(seed: 7) with { Context = context }, _ => { }, default);
        var fromOther = model.Sample(Request(seed: 7) with { Context = otherContext }, _ => { }, default);

        // A pixel-space model keeps the given frames exactly; the made ones depend on them, and a seed repeats the run.
        Assert.Equal(context, continued[..(2 * frame)]);
        Assert.Equal(continued, again);
        Assert.NotEqual(continued[(2 * frame)..], fromOther[(2 * frame)..]);
        Assert.NotEqual(plain[(2 * frame)..], continued[(2 * frame)..]);
    }

    [Fact]
    public void Sample_WithContext_OnAModelTrainedWithALevelPerFrame_KeepsTheGivenFramesAtThatLevel()
    {
        using var perFrame = LoadedVideoModel.Seeded(Tiny with { ContextNoiseLevel = 0.02f }, seed: 3, CPU);
        var frame = 3 * 32 * 32;
        var random = new Random(4);
        var context = Enumerable.Range(0, 2 * frame).Select(_ => (random.NextSingle() * 1.6f) - 0.8f).ToArray();

        var byLevel = perFrame.Sample(Request(seed: 7) with { Context = context }, _ => { }, default);
        var byReplacement = model.Sample(Request(seed: 7) with { Context = context }, _ => { }, default);

        // The same weights (seed 3) continue otherwise: the given frames read at t = 0.02, not at each step's level.
        Assert.Equal(context, byLevel[..(2 * frame)]);
        Assert.NotEqual(byReplacement[(2 * frame)..], byLevel[(2 * frame)..]);
    }

    [Theory]
    [InlineData(0)] // 7 values: not a whole frame
    [InlineData(4)] // every frame given, none to make
    [InlineData(5)]
    public void Sample_ContextOfNoFrameToMakeOrOfPartFrames_IsRefused(int contextFrames)
    {
        var context = new float[(contextFrames * 3 * 32 * 32) + (contextFrames == 0 ? 7 : 0)];

        Assert.Throws<ArgumentException>(() => model.Sample(Request(seed: 1) with { Context = context }, _ => { }, default));
    }

    internal static SamplingRequest Request(ulong seed, int identitySeed = 1, float strength = 0.8f) => new()
    {
        Frames = 4,
        Height = 32,
        Width = 32,
        Steps = 3,
        GuidanceScale = 2f,
        Seed = seed,
        Prompt = "a character walks through a sunny park",
        Characters = [new SamplingCharacter(Tokens(identitySeed), strength, FullRegion(4, 8, 8))],
    };

    internal static float[] Tokens(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Tiny.IdentityTokens * Tiny.IdentityDim).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
    }

    internal static float[] FullRegion(int frames, int rows, int columns) => Enumerable.Repeat(1f, frames * rows * columns).ToArray();

    public void Dispose() => model.Dispose();
}
