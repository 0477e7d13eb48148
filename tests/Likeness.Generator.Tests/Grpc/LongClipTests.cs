using Google.Protobuf;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;
using Likeness.Testing;
using static Likeness.Generator.Tests.Grpc.Jobs;

namespace Likeness.Generator.Tests.Grpc;

/// <summary>
/// Clips longer than the model's window, shots and extension, through a real generator on the shared (Redis) board: its
/// default chunks (16 frames, 4 of them context) and the tiny video model at 32 px.
/// </summary>
public sealed class LongClipTests(GeneratorFixture fixture) : IClassFixture<GeneratorFixture>
{
    private Contracts.Generation.V1.Generator.GeneratorClient Client => fixture.Generator.Generator;

    [Fact]
    public async Task Generate_ThreeSeconds_IsMadeInTwoChunks_StreamedChunkByChunk_AndReportedPerChunk()
    {
        var events = await CollectAsync(Client.Generate(Long(seed: 3, seconds: 3)));

        var started = events.Single(e => e.EventCase == JobEvent.EventOneofCase.Started).Started;
        Assert.Equal((24u, 2u, 1u, 0u), (started.NumFrames, started.TotalChunks, started.TotalShots, started.FirstChunk));
        var frames = events.Where(e => e.EventCase == JobEvent.EventOneofCase.Frame).Select(e => e.Frame).ToList();
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (uint)i), frames.Select(f => f.Index));
        Assert.Equal(Enumerable.Repeat(0u, 16).Concat(Enumerable.Repeat(1u, 8)), frames.Select(f => f.Chunk));

        // Chunk 0's frames, its ChunkFinished, then chunk 1's steps: frames arrive as each chunk finishes.
        var firstFinished = events.FindIndex(e => e.EventCase == JobEvent.EventOneofCase.ChunkFinished);
        Assert.Equal(new ChunkFinished { Chunk = 0, FirstFrame = 0, Frames = 16, TotalChunks = 2 }, events[firstFinished].ChunkFinished);
        Assert.True(events.FindIndex(e => e.EventCase == JobEvent.EventOneofCase.Frame && e.Frame.Index == 15) < firstFinished);
        Assert.True(events.FindIndex(e => e.EventCase == JobEvent.EventOneofCase.Step && e.Step.Chunk == 1) > firstFinished);
        Assert.Equal([0u, 0u, 0u, 0u, 1u, 1u, 1u, 1u], events.Where(e => e.EventCase == JobEvent.EventOneofCase.Step).Select(e => e.Step.Chunk));
        Assert.All(events.Where(e => e.EventCase == JobEvent.EventOneofCase.Preview).Select(e => e.Preview),
            p => Assert.Equal(p.Chunk == 0 ? (16, 0u) : (8, 16u), (p.Images.Count, p.FirstFrame)));

        var report = events[^1].Completed.Report;
        Assert.Equal([(0u, 0u, 16u, 0f), (1u, 16u, 8u, report.Chunks[1].SeamChange)], report.Chunks.Select(c => (c.Chunk, c.FirstFrame, c.Frames, c.SeamChange)));
        Assert.InRange(report.Chunks[1].SeamChange, 1e-4f, 1f);
        Assert.InRange(report.MotionAmplitude, 1e-4f, 1f);
        var character = Assert.Single(report.Characters);
        Assert.Equal(24, character.FrameSimilarity.Count);
        Assert.Empty(character.Frames);
        Assert.Equal([0u, 1u], character.Chunks.Select(c => c.Index));
        Assert.Equal(character.FrameSimilarity.Take(16).Average(), character.Chunks[0].FaceSim, 1e-5f);
    }

    [Fact]
    public async Task Generate_LongClip_IsReproducible_AndItsFirstChunkIsTheClipOfThatLengthAlone()
    {
        var once = Frames(await CollectAsync(Client.Generate(Long(seed: 4, seconds: 3))));
        var again = Frames(await CollectAsync(Client.Generate(Long(seed: 4, seconds: 3))));
        var alone = Request(seed: 4, fixture.Alice);
        alone.NumFrames = 16;
        var firstChunk = Frames(await CollectAsync(Client.Generate(alone)));

        Assert.Equal(once, again);
        Assert.Equal(firstChunk, once.Take(16));
        Assert.NotEqual(once[16], once[0]);
    }

    [Fact]
    public async Task Generate_Shots_CutBetweenThem_KeepTheIdentities_AndACharacterWhoReturnsIsReportedWithTheShotsAway()
    {
        var request = Request(seed: 8, (fixture.Alice, 0.8f, null), (fixture.Bob, 0.8f, null));
        request.NumFrames = 0;
        request.Shots.Add(Shot("alice alone", 0.5f, fixture.Alice));
        request.Shots.Add(Shot("bob alone", 0.5f, fixture.Bob));
        request.Shots.Add(Shot("bob goes on", 0.5f, fixture.Bob, continues: true));
        request.Shots.Add(Shot("both", 1f, fixture.Alice, fixture.Bob));

        var events = await CollectAsync(Client.Generate(request));

        var started = events.Single(e => e.EventCase == JobEvent.EventOneofCase.Started).Started;
        Assert.Equal((20u, 4u, 4u), (started.NumFrames, started.TotalChunks, started.TotalShots));
        var frames = events.Where(e => e.EventCase == JobEvent.EventOneofCase.Frame).Select(e => e.Frame).ToList();
        Assert.Equal([.. Enumerable.Repeat(0u, 4), .. Enumerable.Repeat(1u, 4), .. Enumerable.Repeat(2u, 4), .. Enumerable.Repeat(3u, 8)], frames.Select(f => f.Shot));
        var report = events[^1].Completed.Report;
        Assert.Equal(0f, report.Chunks[1].SeamChange); // a cut
        Assert.InRange(report.Chunks[2].SeamChange, 1e-4f, 1f); // a shot that goes on from the one before
        Assert.Equal(0f, report.Chunks[3].SeamChange);
        var alice = report.Characters.Single(c => c.IdentityId == fixture.Alice);
        Assert.Equal([0u, 1u, 2u, 3u, .. Enumerable.Range(12, 8).Select(f => (uint)f)], alice.Frames);
        Assert.Equal([(0u, 0u), (3u, 2u)], alice.Shots.Select(s => (s.Index, s.ShotsAway)));
        Assert.Equal(alice.FrameSimilarity.Count, alice.Frames.Count);
        var bob = report.Characters.Single(c => c.IdentityId == fixture.Bob);
        Assert.Equal([(1u, 0u), (2u, 0u), (3u, 0u)], bob.Shots.Select(s => (s.Index, s.ShotsAway)));
    }

    [Fact]
    public async Task Generate_ExtendingAJob_ContinuesItsLastFrames_AsTheSameFramesSentByTheClientDo()
    {
        var source = await CollectAsync(Client.Generate(Request(seed: 9, fixture.Alice)));
        var sourceFrames = Frames(source);

        var byJob = Long(seed: 10, seconds: 1);
        byJob.Extend = new ClipToContinue { JobId = source[0].JobId };
        var fromJob = await CollectAsync(Client.Generate(byJob));
        var bySent = Long(seed: 10, seconds: 1);
        bySent.Extend = new ClipToContinue();
        bySent.Extend.Frames.Add(sourceFrames.Select(f => new Image { Data = ByteString.CopyFrom(f) }));
        var fromSent = await CollectAsync(Client.Generate(bySent));
        var plain = await CollectAsync(Client.Generate(Long(seed: 10, seconds: 1)));

        Assert.Equal(Enumerable.Range(0, 8).Select(i => (uint)i), fromJob.Where(e => e.EventCase == JobEvent.EventOneofCase.Frame).Select(e => e.Frame.Index));
        Assert.Equal(Frames(fromJob), Frames(fromSent));
        Assert.NotEqual(Frames(plain), Frames(fromJob));
        Assert.InRange(fromJob[^1].Completed.Report.Chunks[0].SeamChange, 1e-4f, 1f);
        Assert.Equal(0f, plain[^1].Completed.Report.Chunks[0].SeamChange);
    }

    [Fact]
    public async Task Generate_ExtendingFramesOfAnotherSize_FitsThemToTheRequestedSize()
    {
        var request = Long(seed: 12, seconds: 1);
        request.Extend = new ClipToContinue();
        request.Extend.Frames.Add(new Image { Data = ByteString.CopyFrom(TestImages.Face(5)) });

        var events = await CollectAsync(Client.Generate(request));

        Assert.Equal(JobEvent.EventOneofCase.Completed, events[^1].EventCase);
        Assert.Equal(8, Frames(events).Count);
    }

    [Fact]
    public async Task DescribeModel_GivesTheChunksAndTheLongClipLimits()
    {
        var described = await Client.DescribeModelAsync(new DescribeModelRequest());

        Assert.Equal((16u, 4u), (described.ChunkFrames, described.ContextFrames));
        Assert.Equal((120f, 64u, 64u), (described.Limits.MaxSeconds, described.Limits.MaxShots, described.Limits.MaxExtensionFrames));
        Assert.Equal(TimeSpan.FromSeconds(30), described.Limits.ReattachGrace.ToTimeSpan());
    }

    private GenerateRequest Long(ulong seed, float seconds)
    {
        var request = Request(seed, fixture.Alice);
        (request.NumFrames, request.Seconds, request.Fps) = (0, seconds, 8);
        return request;
    }

    private static Shot Shot(string prompt, float seconds, string identity, bool continues = false) =>
        new() { Prompt = prompt, Seconds = seconds, Characters = { new Character { IdentityId = identity } }, ContinuePrevious = continues };

    private static Shot Shot(string prompt, float seconds, string first, string second) =>
        new() { Prompt = prompt, Seconds = seconds, Characters = { new Character { IdentityId = first }, new Character { IdentityId = second } } };
}
