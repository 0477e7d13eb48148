using System.Diagnostics.Metrics;
using Likeness.Core.Errors;
using Likeness.Generation.Board;
using Likeness.Generation.Consistency;
using Likeness.Generation.Identities;
using Likeness.Generation.Requests;
using Likeness.Identity.Regions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Likeness.Generation.Tests.Board;

/// <summary>
/// The contract both job boards keep (<see cref="IJobBoard"/>), stated once and run against each: the board of this
/// process alone (<see cref="LocalJobBoardContractTests"/>) and the Redis board every pod shares
/// (<see cref="RedisJobBoardContractTests"/>, on a real redis-server).
/// </summary>
public abstract class JobBoardContract : IAsyncLifetime
{
    /// <summary>Two waiting jobs at most, two finished jobs kept, each for <see cref="Retention"/>.</summary>
    protected GeneratorOptions Options { get; } = new() { MaxQueuedJobs = 2, MaxFinishedJobs = 2 };

    protected abstract TimeSpan Retention { get; }

    protected IJobBoard Board { get; private set; } = null!;

    /// <summary>The board under test, on <paramref name="options"/>, recording outcomes with <paramref name="outcomes"/>.</summary>
    protected abstract IJobBoard CreateBoard(GeneratorOptions options, JobOutcomes outcomes);

    /// <summary>Lets more than <see cref="Retention"/> pass for the board's finished jobs.</summary>
    protected abstract Task LetRetentionPassAsync();

    /// <summary>Lets a moment pass between two events whose order the board keeps by time (a fake clock stands still).</summary>
    protected virtual void Tick()
    {
    }

    public virtual Task InitializeAsync()
    {
        Options.FinishedJobRetention = Retention;
        Board = CreateBoard(Options, new JobOutcomes(new GenerationMetrics(new Meters()), TimeProvider.System, NullLogger<JobOutcomes>.Instance));
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync()
    {
        (Board as IDisposable)?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Events_AreNumberedFromOne_ByOne_AndReadingAfterASequenceGivesTheRest()
    {
        var job = await SubmitAsync();
        var run = Take();
        run.Publish(new StartedEvent(run.Seed, "model", Untrained: false, 8, 64, 64, 2));
        run.Publish(new StepEvent(1, 2, TimeSpan.FromMilliseconds(5), TimeSpan.Zero));
        run.Publish(new StepEvent(2, 2, TimeSpan.FromMilliseconds(5), TimeSpan.Zero));
        run.Publish(Completed(run.Seed));
        run.EndRun();

        var all = await ReadAllAsync(job.Id, 0);
        var rest = await ReadAllAsync(job.Id, 2);

        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(e => e.Sequence));
        Assert.IsType<QueuedEvent>(all[0]);
        Assert.Equal(all.Skip(2).Select(e => e.Sequence), rest.Select(e => e.Sequence));
        Assert.Equal(JobState.Completed, (await Board.FindAsync(job.Id, default))!.State);
    }

    [Fact]
    public async Task TheFinalEvent_IsTheLast_AndNothingIsAppendedAfterIt()
    {
        var job = await SubmitAsync();
        var run = Take();
        run.Publish(new StartedEvent(run.Seed, "model", Untrained: false, 8, 64, 64, 2));
        run.Publish(Completed(run.Seed));
        run.Publish(new StepEvent(2, 2, TimeSpan.Zero, TimeSpan.Zero));
        run.Publish(new EndedEvent(JobState.Failed, "too late"));
        run.EndRun();

        var events = await ReadAllAsync(job.Id, 0);

        Assert.IsType<CompletedEvent>(events[^1]);
        Assert.Equal(JobState.Completed, (await Board.FindAsync(job.Id, default))!.State);
    }

    [Fact]
    public async Task Cancel_WhileQueued_EndsTheJobNow_AndNoDeviceTakesIt()
    {
        var job = await SubmitAsync();

        await Board.CancelAsync(job.Id, "the user stopped it", default);

        var ended = Assert.IsType<EndedEvent>((await ReadAllAsync(job.Id, 0))[^1]);
        Assert.Equal((JobState.Cancelled, "the user stopped it"), (ended.State, ended.Reason));
        Assert.Equal(JobState.Cancelled, (await Board.FindAsync(job.Id, default))!.State);
        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        Assert.ThrowsAny<OperationCanceledException>(() => Board.Take(soon.Token));
    }

    [Fact]
    public async Task Cancel_WhileRunning_ReachesTheRunWithItsReason()
    {
        var job = await SubmitAsync();
        var run = Take();
        run.Publish(new StartedEvent(run.Seed, "model", Untrained: false, 8, 64, 64, 2));

        await Board.CancelAsync(job.Id, "the user stopped it", default);

        await WaitUntilAsync(() => run.CancellationToken.IsCancellationRequested);
        Assert.Equal("the user stopped it", run.Reason);
        Assert.Equal(JobState.Running, (await Board.FindAsync(job.Id, default))!.State); // until the device ends it
        run.Publish(new EndedEvent(JobState.Cancelled, run.Reason));
        run.EndRun();
        Assert.Equal(JobState.Cancelled, Assert.IsType<EndedEvent>((await ReadAllAsync(job.Id, 0))[^1]).State);
    }

    [Fact]
    public async Task AClientRequestId_BindsOneJobPerOwner_AndRefusesOtherParameters()
    {
        var first = await SubmitAsync(clientRequestId: "retry-1");
        var again = await SubmitAsync(clientRequestId: "retry-1");
        var otherOwner = await SubmitAsync(clientRequestId: "retry-1", owner: "someone else");

        var conflict = await Assert.ThrowsAsync<LikenessException>(() => SubmitAsync(clientRequestId: "retry-1", prompt: "another prompt"));

        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, otherOwner.Id);
        Assert.Equal(LikenessErrorKind.AlreadyExists, conflict.Kind);
    }

    [Fact]
    public async Task TheQueue_IsBounded_AndPositionsMoveUpWhenAJobIsTaken()
    {
        var first = await SubmitAsync();
        var second = await SubmitAsync();

        var full = await Assert.ThrowsAsync<LikenessException>(() => SubmitAsync());
        var run = Take();

        Assert.Equal(LikenessErrorKind.ResourceExhausted, full.Kind);
        Assert.Equal((0, 1), (first.QueuePosition, second.QueuePosition));
        await WaitUntilAsync(async () => (await Board.FindAsync(second.Id, default))!.QueuePosition == 0);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var secondEvents = new List<JobEvent>();
        await foreach (var e in Board.ReadAsync(second.Id, 0, stop.Token))
        {
            secondEvents.Add(e);
            if (e is QueuedEvent { Position: 0 })
            {
                break;
            }
        }

        Assert.Equal([1, 0], secondEvents.OfType<QueuedEvent>().Select(q => q.Position));
        run.EndRun();
    }

    [Fact]
    public async Task Cancel_OfAFinishedOrUnknownJob_ChangesNothing()
    {
        var job = await SubmitAsync();
        var run = Take();
        run.Publish(new StartedEvent(run.Seed, "model", Untrained: false, 8, 64, 64, 2));
        run.Publish(Completed(run.Seed));
        run.EndRun();

        await Board.CancelAsync(job.Id, "too late", default);
        await Board.CancelAsync("job_00000000000000000000", "never was", default);

        Assert.Equal(JobState.Completed, (await Board.FindAsync(job.Id, default))!.State);
        Assert.IsType<CompletedEvent>((await ReadAllAsync(job.Id, 0))[^1]);
        Assert.Null(await Board.FindAsync("job_00000000000000000000", default));
    }

    [Fact]
    public async Task AttachedStreams_AreCounted_AndTheLastToDetachIsTold()
    {
        var job = await SubmitAsync();
        var lastDetached = 0;
        var first = await Board.AttachStreamAsync(job.Id, () => { lastDetached++; return Task.CompletedTask; }, default);
        var second = await Board.AttachStreamAsync(job.Id, () => { lastDetached++; return Task.CompletedTask; }, default);

        Assert.Equal(2, await Board.AttachedStreamsAsync(job.Id, default));
        await first.DisposeAsync();
        Assert.Equal((1, 0), (await Board.AttachedStreamsAsync(job.Id, default), lastDetached));
        await second.DisposeAsync();
        Assert.Equal((0, 1), (await Board.AttachedStreamsAsync(job.Id, default), lastDetached));
        Assert.Equal(0, await Board.AttachedStreamsAsync("job_0123456789abcdef0123", default));
    }

    [Fact]
    public async Task FinishedJobs_AreForgotten_AfterTheRetention()
    {
        var job = await SubmitAsync();
        await Board.CancelAsync(job.Id, "done with it", default);
        Assert.NotNull(await Board.FindAsync(job.Id, default));

        await LetRetentionPassAsync();
        await Board.CancelAsync((await SubmitAsync()).Id, "the next one", default);

        Assert.Null(await Board.FindAsync(job.Id, default));
    }

    [Fact]
    public async Task FinishedJobs_BeyondTheMostRecentKept_AreForgotten()
    {
        var jobs = new List<JobSnapshot>();
        for (var i = 0; i < 4; i++)
        {
            jobs.Add(await SubmitAsync());
            await Board.CancelAsync(jobs[^1].Id, "next", default);
            Tick();
        }

        await Board.CancelAsync((await SubmitAsync()).Id, "the last", default);

        Assert.Null(await Board.FindAsync(jobs[0].Id, default));
        Assert.NotNull(await Board.FindAsync(jobs[^1].Id, default));
    }

    protected Task<JobSnapshot> SubmitAsync(string clientRequestId = "", string owner = "", string prompt = "a character talks")
    {
        var request = Request(clientRequestId, prompt);
        var characters = request.Characters.Select(c => new LoadedCharacter(c, new float[16 * 8], new float[512])).ToList();
        return Board.SubmitAsync(request, owner, _ => Task.FromResult(new PreparedJob(characters, TimeSpan.FromMilliseconds(3))), default);
    }

    /// <summary>The next job, as the device thread takes it; fails the test after 10 s.</summary>
    protected IJobRun Take()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return Board.Take(deadline.Token);
    }

    protected async Task<List<JobEvent>> ReadAllAsync(string jobId, long afterSequence)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<JobEvent>();
        await foreach (var jobEvent in Board.ReadAsync(jobId, afterSequence, deadline.Token))
        {
            events.Add(jobEvent);
        }

        return events;
    }

    protected static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    protected static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the board did not get there within 10 s");
            await Task.Delay(20);
        }
    }

    internal static GenerationRequest Request(string clientRequestId, string prompt) => new()
    {
        Prompt = prompt,
        Characters = [new CharacterRequest("identity-a", 0.8f, DefaultFraming.For(0, 1)) { DefaultRegion = true }],
        Frames = 8,
        Shots = [new ShotRequest(prompt, 8, [new CharacterRequest("identity-a", 0.8f, DefaultFraming.For(0, 1)) { DefaultRegion = true }], [0], ContinuePrevious: false)],
        Chunking = new ChunkSettings(16, 4),
        Width = 64,
        Height = 64,
        Fps = 8,
        Steps = 2,
        GuidanceScale = 3f,
        Seed = 7,
        Scheduler = DenoisingScheduler.Ddim,
        Preview = new PreviewSettings(0, 64, ContactSheet: false),
        FrameEncoding = FrameEncoding.Png,
        ClientRequestId = clientRequestId,
    };

    private static CompletedEvent Completed(ulong seed) =>
        new(seed, new JobTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero), new ConsistencyReport([], Untrained: false), 8);

    internal sealed class Meters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
