using Likeness.Generation.Board;
using Likeness.Generation.Board.Redis;
using Likeness.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Likeness.Generation.Tests.Board;

/// <summary>
/// The job-board contract on the Redis board, on a real redis-server of its own; and what only a shared board does:
/// its keys are where <see cref="JobKeys"/> names them, and a run whose job has ended behind its back stops writing.
/// </summary>
public sealed class RedisJobBoardContractTests : JobBoardContract
{
    private readonly RedisServer redis = new();
    private readonly ClusterOptions cluster = new() { PodName = "pod-a", PollInterval = TimeSpan.FromMilliseconds(50), ClaimTimeout = TimeSpan.FromSeconds(30) };
    private ConnectionMultiplexer connection = null!;

    /// <summary>
    /// Redis expires a finished job's keys on its own clock, so the retention is real: short enough to wait out, long
    /// enough that no other test's jobs expire while it runs on a loaded machine.
    /// </summary>
    protected override TimeSpan Retention => TimeSpan.FromSeconds(5);

    /// <summary>The board orders finished jobs by the millisecond they ended (ties by id): let one pass.</summary>
    protected override void Tick() => Thread.Sleep(5);

    public override async Task InitializeAsync()
    {
        connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await connection.DisposeAsync();
        await redis.DisposeAsync();
    }

    protected override IJobBoard CreateBoard(GeneratorOptions options, JobOutcomes outcomes) =>
        new RedisJobBoard(connection, options, cluster, outcomes, TimeProvider.System, NullLogger<RedisJobBoard>.Instance);

    protected override Task LetRetentionPassAsync() => Task.Delay(Retention + TimeSpan.FromMilliseconds(500));

    [Fact]
    public async Task TheKeysTheScriptsWrite_AreTheKeysJobKeysNames()
    {
        var keys = new JobKeys(cluster.KeyPrefix);
        var job = await SubmitAsync(clientRequestId: "retry-1", owner: "alice");
        var db = connection.GetDatabase();

        Assert.Equal("Queued", (string?)await db.HashGetAsync(keys.Job(job.Id), "state"));
        Assert.Equal(1, await db.StreamLengthAsync(keys.Events(job.Id)));
        Assert.Equal(1, await db.StreamLengthAsync(keys.Queue));
        Assert.Equal(0, await db.SortedSetRankAsync(keys.Waiting, job.Id));
        Assert.StartsWith(job.Id + " ", (string?)await db.StringGetAsync(keys.Binding("alice", "retry-1")));
    }

    [Fact]
    public async Task ARun_WhoseJobEndedBehindItsBack_StopsWriting()
    {
        var job = await SubmitAsync();
        var run = Take();
        run.Publish(new StartedEvent(run.Seed, "model", Untrained: false, 8, 64, 64, 2));

        // What a takeover that failed the job for good leaves behind while this attempt was paused.
        await connection.GetDatabase().HashSetAsync(new JobKeys(cluster.KeyPrefix).Job(job.Id), "state", nameof(JobState.Failed));
        run.Publish(new StepEvent(1, 2, TimeSpan.Zero, TimeSpan.Zero));

        Assert.True(run.Relinquished);
        Assert.True(run.CancellationToken.IsCancellationRequested);
        Assert.Equal("the job has already ended on the job board", run.Reason);
        run.EndRun();
    }
}
