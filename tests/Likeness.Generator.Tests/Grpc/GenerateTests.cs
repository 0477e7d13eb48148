using Grpc.Net.Client;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;
using SkiaSharp;
using static Likeness.Generator.Tests.Grpc.Jobs;

namespace Likeness.Generator.Tests.Grpc;

public sealed class GenerateTests(GeneratorFixture fixture) : IClassFixture<GeneratorFixture>
{
    private Contracts.Generation.V1.Generator.GeneratorClient Client => fixture.Generator.Generator;

    [Fact]
    public async Task Generate_StreamsQueuedStartedStepsPreviewsFramesAndCompleted_InOrder()
    {
        var events = await CollectAsync(Client.Generate(Request(seed: 7, fixture.Alice)));

        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (ulong)i), events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal(events[0].JobId, e.JobId));
        Assert.Equal(JobEvent.EventOneofCase.Queued, events[0].EventCase);
        var started = events.Single(e => e.EventCase == JobEvent.EventOneofCase.Started).Started;
        Assert.Equal(7ul, started.Seed);
        Assert.True(started.Model.Untrained);
        Assert.Equal([1u, 2u, 3u, 4u], events.Where(e => e.EventCase == JobEvent.EventOneofCase.Step).Select(e => e.Step.Step));
        var previews = events.Where(e => e.EventCase == JobEvent.EventOneofCase.Preview).Select(e => e.Preview).ToList();
        Assert.Equal([2u, 4u], previews.Select(p => p.Step));
        Assert.All(previews, p => Assert.Equal(4, p.Images.Count));
        var frames = events.Where(e => e.EventCase == JobEvent.EventOneofCase.Frame).Select(e => e.Frame).ToList();
        Assert.Equal([0u, 1u, 2u, 3u], frames.Select(f => f.Index));
        Assert.All(frames, f =>
        {
            using var bitmap = SKBitmap.Decode(f.Image.Data.ToByteArray());
            Assert.Equal((32, 32), (bitmap.Width, bitmap.Height));
        });
        var completed = events[^1];
        Assert.Equal(JobEvent.EventOneofCase.Completed, completed.EventCase);
        Assert.Equal(7ul, completed.Completed.Seed);
        var report = Assert.Single(completed.Completed.Report.Characters);
        Assert.Equal(fixture.Alice, report.IdentityId);
        Assert.Equal(4, report.FrameSimilarity.Count);
        Assert.Equal(report.ReferenceLoss + (0.5f * report.TemporalLoss), report.IdentityLoss, 1e-5f);
        Assert.True(completed.Completed.Report.Untrained);
        Assert.True(events.IndexOf(completed) > events.FindLastIndex(e => e.EventCase == JobEvent.EventOneofCase.Frame));
    }

    [Fact]
    public async Task Generate_CharacterWithoutRegionOrStrength_IsFramedInItsColumnAtTheDefaultStrength_AndSaysSo()
    {
        var request = Request(seed: 5, (fixture.Alice, 0.5f, null), (fixture.Bob, 0.5f, new Box { X = 0.6f, Y = 0.1f, Width = 0.3f, Height = 0.4f }));
        request.Characters[0].ClearIdentityStrength();
        request.Characters[0].Region = new Region(); // an empty Region is no region, as some clients send it

        var events = await CollectAsync(Client.Generate(request));

        var cast = events.Single(e => e.EventCase == JobEvent.EventOneofCase.Started).Started.Characters;
        Assert.Equal([0.8f, 0.5f], cast.Select(c => c.IdentityStrength));
        Assert.Equal([true, false], cast.Select(c => c.DefaultRegion));
        var framed = cast[0].Region.Box;
        Assert.Equal(0.25f, framed.X + (framed.Width / 2), 1e-5f); // the left of two columns
        Assert.Equal(0.5f, framed.Y + (framed.Height / 2), 1e-5f);
        Assert.Equal(new Box { X = 0.6f, Y = 0.1f, Width = 0.3f, Height = 0.4f }, cast[1].Region.Box);
        var report = events[^1].Completed.Report.Characters;
        Assert.Equal(cast.Select(c => c.Region), report.Select(c => c.Region));
        Assert.Equal([true, false], report.Select(c => c.DefaultRegion));
    }

    [Fact]
    public async Task Generate_OneCharacterWithoutRegion_IsACentredFaceBox_NotTheWholeFrame()
    {
        var events = await CollectAsync(Client.Generate(Request(seed: 6, fixture.Alice)));

        var box = Assert.Single(events.Single(e => e.EventCase == JobEvent.EventOneofCase.Started).Started.Characters).Region.Box;
        Assert.Equal(0.5f, box.X + (box.Width / 2), 1e-5f);
        Assert.Equal(0.5f, box.Y + (box.Height / 2), 1e-5f);
        Assert.InRange(box.Width * box.Height, 0.15f, 0.4f);
    }

    [Fact]
    public async Task Generate_SameSeedTwice_GivesIdenticalFrames()
    {
        var first = Frames(await CollectAsync(Client.Generate(Request(seed: 42, fixture.Alice))));
        var second = Frames(await CollectAsync(Client.Generate(Request(seed: 42, fixture.Alice))));

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Generate_Rgb8Frames_AreRawPixelsOfThePngFrames()
    {
        var png = await CollectAsync(Client.Generate(Request(seed: 12, fixture.Alice)));
        var request = Request(seed: 12, fixture.Alice);
        request.FrameFormat = FrameFormat.Rgb8;
        var raw = await CollectAsync(Client.Generate(request));

        var rawFrame = raw.First(e => e.EventCase == JobEvent.EventOneofCase.Frame).Frame.Image;
        Assert.Equal(ImageFormat.Rgb8, rawFrame.Format);
        Assert.Equal((32u, 32u), (rawFrame.Width, rawFrame.Height));
        Assert.Equal(32 * 32 * 3, rawFrame.Data.Length);
        using var decoded = SKBitmap.Decode(Frames(png)[0]);
        var pixel = decoded.GetPixel(5, 7);
        var offset = ((7 * 32) + 5) * 3;
        Assert.Equal((pixel.Red, pixel.Green, pixel.Blue), (rawFrame.Data[offset], rawFrame.Data[offset + 1], rawFrame.Data[offset + 2]));
    }

    [Fact]
    public async Task Generate_ContactSheetPreview_IsOneImageHoldingEveryFrame()
    {
        var request = Request(seed: 3, fixture.Alice);
        request.Preview.Format = PreviewFormat.ContactSheet;

        var preview = (await CollectAsync(Client.Generate(request))).First(e => e.EventCase == JobEvent.EventOneofCase.Preview).Preview;

        var sheet = Assert.Single(preview.Images);
        using var bitmap = SKBitmap.Decode(sheet.Data.ToByteArray());
        Assert.Equal((64, 64), (bitmap.Width, bitmap.Height)); // 4 frames in a 2×2 grid of 32 px tiles
    }

    [Fact]
    public async Task Generate_WithoutSeed_ChoosesOneAndEchoesIt()
    {
        var events = await CollectAsync(Client.Generate(Request(seed: null, fixture.Alice)));

        var seed = events.Single(e => e.EventCase == JobEvent.EventOneofCase.Started).Started.Seed;
        Assert.Equal(seed, events[^1].Completed.Seed);
    }

    [Fact]
    public async Task Generate_OtherIdentitySameSeed_GivesOtherFrames()
    {
        var alice = Frames(await CollectAsync(Client.Generate(Request(seed: 9, fixture.Alice))));
        var bob = Frames(await CollectAsync(Client.Generate(Request(seed: 9, fixture.Bob))));

        Assert.NotEqual(alice, bob);
    }

    [Fact]
    public async Task Generate_StrengthZero_FramesDoNotDependOnTheIdentity()
    {
        var alice = Frames(await CollectAsync(Client.Generate(Request(seed: 9, fixture.Alice, strength: 0))));
        var bob = Frames(await CollectAsync(Client.Generate(Request(seed: 9, fixture.Bob, strength: 0))));

        Assert.Equal(alice, bob);
    }

    [Fact]
    public async Task Generate_TwoCharactersInRegions_ReportsEachWithLeakageIntoTheOther()
    {
        var request = Request(seed: 3,
            (fixture.Alice, 0.8f, new Box { X = 0, Y = 0, Width = 0.5f, Height = 1 }),
            (fixture.Bob, 0.8f, new Box { X = 0.5f, Y = 0, Width = 0.5f, Height = 1 }));

        var report = (await CollectAsync(Client.Generate(request)))[^1].Completed.Report;

        Assert.Equal([fixture.Alice, fixture.Bob], report.Characters.Select(c => c.IdentityId));
        Assert.All(report.Characters, c => Assert.Equal(2, c.Leakage.Count));
        Assert.Equal(0f, report.Characters[0].Leakage[0]);
        Assert.NotEqual(0f, report.Characters[0].Leakage[1]);
    }

    [Fact]
    public async Task WatchJob_SecondClient_SeesTheSameEvents_AndResumesAfterASequence()
    {
        var events = await CollectAsync(Client.Generate(Request(seed: 5, fixture.Alice)));
        var jobId = events[0].JobId;
        using var other = GrpcChannel.ForAddress(fixture.Generator.Address);
        var watcher = new Contracts.Generation.V1.Generator.GeneratorClient(other);

        var replayed = await CollectAsync(watcher.WatchJob(new WatchJobRequest { JobId = jobId }));
        var resumed = await CollectAsync(watcher.WatchJob(new WatchJobRequest { JobId = jobId, AfterSequence = 5 }));

        Assert.Equal(events, replayed);
        Assert.Equal(events.Skip(5), resumed);
        Assert.Equal(6ul, resumed[0].Sequence);
    }

    [Fact]
    public async Task WatchJob_WhileRunning_FollowsLiveEventsToTheEnd()
    {
        var request = Request(seed: 8, fixture.Alice);
        request.Steps = 12;
        using var generate = Client.Generate(request);
        Assert.True(await generate.ResponseStream.MoveNext(CancellationToken.None));
        var jobId = generate.ResponseStream.Current.JobId;

        var watched = await CollectAsync(Client.WatchJob(new WatchJobRequest { JobId = jobId }));

        Assert.Equal(JobEvent.EventOneofCase.Completed, watched[^1].EventCase);
        Assert.Equal(12, watched.Count(e => e.EventCase == JobEvent.EventOneofCase.Step));
    }

    [Fact]
    public async Task Generate_SameClientRequestId_AttachesToTheSameJob()
    {
        var request = Request(seed: 1, fixture.Alice);
        request.ClientRequestId = "retry-" + Guid.NewGuid();

        var first = await CollectAsync(Client.Generate(request));
        var retry = await CollectAsync(Client.Generate(request));

        Assert.Equal(first[0].JobId, retry[0].JobId);
        Assert.Equal(first, retry);
    }

    [Fact]
    public async Task GetJob_AfterCompletion_ReportsCompleted()
    {
        var events = await CollectAsync(Client.Generate(Request(seed: 2, fixture.Alice)));

        var status = await Client.GetJobAsync(new GetJobRequest { JobId = events[0].JobId });

        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal((ulong)events.Count, status.LastSequence);
        Assert.Equal(4u, status.Step);
    }

    [Fact]
    public async Task DescribeModel_ReportsModelsSizesAndLimits()
    {
        var description = await Client.DescribeModelAsync(new DescribeModelRequest());

        Assert.True(description.Model.Untrained);
        Assert.Contains("untrained", description.Model.ModelId, StringComparison.Ordinal);
        Assert.Contains("untrained", description.IdentityModelId, StringComparison.Ordinal);
        Assert.Equal(new long[] { 32, 768 }, description.IdentityTokenShape);
        Assert.Contains(description.Sizes, s => s.Width == 32 && s.Height == 32);
        Assert.Equal(2u, description.Limits.MaxQueuedJobs);
        Assert.Equal("cpu", description.Device);
    }
}
