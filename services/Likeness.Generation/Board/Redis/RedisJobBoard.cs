using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Likeness.Core.Errors;
using Likeness.Generation.Board.Local;
using Likeness.Generation.Requests;
using Likeness.Identity.Store;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Likeness.Generation.Board.Redis;

/// <summary>
/// The job board every generator pod shares, in Redis: the queue is a stream read by one consumer group (a pod takes
/// the next job when its device is free), each job's events a stream of their own, and its state a hash; the scripts
/// in <see cref="JobScripts"/> make every change atomic. Any pod admits, finds, follows and cancels any job. A running
/// job's pod renews its claim every third of <see cref="ClusterOptions.ClaimTimeout"/>; an idle pod takes over a job
/// whose claim lapsed and runs it again from the start with the same seed, at most <see cref="ClusterOptions.MaxAttempts"/>
/// times. Pub/sub wakes idle pods, watchers and the running pod at once; polling every
/// <see cref="ClusterOptions.PollInterval"/> covers a lost message. Keys are named by <see cref="JobKeys"/>.
/// This type is the side the API calls (submit with idempotent binding, admit, find, read, cancel, attach);
/// <see cref="RedisJobDevice"/> is the side the device thread calls (take, take over, prepare, run).
/// </summary>
public sealed class RedisJobBoard : IJobBoard, IDisposable
{
    private readonly IConnectionMultiplexer redis;
    private readonly GeneratorOptions generator;
    private readonly ClusterOptions cluster;
    private readonly JobKeys keys;
    private readonly TimeProvider time;
    private readonly RedisJobDevice device;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> changes = new(StringComparer.Ordinal);
    private readonly ITimer forgetSignals;

    public RedisJobBoard(
        IConnectionMultiplexer redis,
        GeneratorOptions generator,
        ClusterOptions cluster,
        JobOutcomes outcomes,
        TimeProvider time,
        ILogger<RedisJobBoard> logger)
    {
        this.redis = redis;
        this.generator = generator;
        this.cluster = cluster;
        this.time = time;
        keys = new JobKeys(cluster.KeyPrefix);
        device = new RedisJobDevice(redis, generator, cluster, keys, time, logger, id => FindAsync(id, CancellationToken.None), outcomes.Record, Changed);
        // Watchers wait on a signal per job or for one poll interval; dropping the signals now and then bounds them.
        forgetSignals = time.CreateTimer(_ => changes.Clear(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    public string Description => $"Redis ({string.Join(", ", redis.GetEndPoints().Select(e => e.ToString()))}), shared by every generator; this pod is consumer {cluster.Consumer} of group {cluster.ConsumerGroup}";

    public bool IsShared => true;

    public int WaitingJobs => device.WaitingJobs;

    private IDatabase Db => redis.GetDatabase();

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private long Retention => (long)generator.FinishedJobRetention.TotalMilliseconds;

    public async Task<JobSnapshot> SubmitAsync(
        GenerationRequest request, string owner, Func<CancellationToken, Task<PreparedJob>> prepare, CancellationToken cancellationToken)
    {
        if (request.ClientRequestId.Length == 0)
        {
            return await AdmitAsync(GenerationJob.NewId(), request, owner, prepare, "", cancellationToken);
        }

        var binding = keys.Binding(owner, request.ClientRequestId);
        var hash = request.ParameterHash();
        while (true)
        {
            var jobId = GenerationJob.NewId();
            var (verdict, boundJob) = JobScriptResults.Bind(await Run(JobScripts.Bind, [binding], [keys.Prefix, jobId, hash, (long)TimeSpan.FromMinutes(1).TotalMilliseconds]));
            if (verdict == BindResult.New)
            {
                try
                {
                    // The admission script marks the binding admitted in the same step.
                    return await AdmitAsync(jobId, request, owner, prepare, binding.ToString(), cancellationToken);
                }
                catch
                {
                    await Run(JobScripts.Unbind, [binding], [keys.Prefix, jobId]);
                    throw;
                }
            }

            if (verdict == BindResult.Conflict)
            {
                throw JobErrors.ClientRequestIdConflict(request.ClientRequestId, $"job {boundJob}");
            }

            if (await FindAsync(boundJob, cancellationToken) is { } existing)
            {
                return existing;
            }

            // Another pod is admitting that job (loading its identities): wait for it, or for its admission to fail.
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }
    }

    private async Task<JobSnapshot> AdmitAsync(
        string jobId, GenerationRequest request, string owner, Func<CancellationToken, Task<PreparedJob>> prepare, string binding, CancellationToken cancellationToken)
    {
        if (await Guard(() => Db.SortedSetLengthAsync(keys.Waiting)) >= generator.MaxQueuedJobs)
        {
            throw QueueFull();
        }

        var prepared = await prepare(cancellationToken);
        var seed = request.Seed ?? GenerationJob.RandomSeed();
        var created = time.GetUtcNow();
        var position = (long)(await Run(JobScripts.Admit, [],
        [
            keys.Prefix, jobId, generator.MaxQueuedJobs, (long)cluster.UnfinishedJobTimeToLive.TotalMilliseconds,
            "owner", owner, "request", JobRecordCodec.EncodeRequest(request), "seed", seed, "created", created.ToUnixTimeMilliseconds(),
            "load", (long)prepared.LoadTime.TotalMilliseconds, "steps", request.Steps, "crid", binding,
            "characters", prepared.Characters.Count, .. JobRecordCodec.EncodeCharacters(prepared.Characters),
            .. JobRecordCodec.EncodeExtension(prepared.ExtensionFrames),
        ]));
        if (position < 0)
        {
            throw QueueFull();
        }

        device.Admitted(position);
        return new JobSnapshot(jobId, owner, JobState.Queued, (int)position, 0, request.Steps, 1, "", seed, created, null);
    }

    private LikenessException QueueFull() => JobErrors.QueueFull(generator.MaxQueuedJobs, shared: true);

    /// <summary>The job hash's fields a snapshot reads: not the request or the characters' tokens.</summary>
    private static readonly RedisValue[] SnapshotFields = ["state", "owner", "pos", "step", "steps", "seq", "reason", "seed", "created", "finished"];

    public async Task<JobSnapshot?> FindAsync(string jobId, CancellationToken cancellationToken)
    {
        var values = await Guard(() => Db.HashGetAsync(keys.Job(jobId), SnapshotFields));
        if (values[0].IsNull)
        {
            return null;
        }

        RedisValue Field(string name) => values[Array.IndexOf(SnapshotFields, (RedisValue)name)];
        string Text(string name) => Field(name) is { IsNull: false } v ? (string)v! : "";
        long Number(string name) => long.TryParse(Text(name), CultureInfo.InvariantCulture, out var n) ? n : 0;
        return new JobSnapshot(
            jobId,
            Text("owner"),
            Enum.Parse<JobState>(Text("state")),
            (int)Number("pos"),
            (int)Number("step"),
            (int)Number("steps"),
            Number("seq"),
            Text("reason"),
            ulong.Parse(Text("seed"), CultureInfo.InvariantCulture),
            DateTimeOffset.FromUnixTimeMilliseconds(Number("created")),
            Field("finished").IsNull ? null : DateTimeOffset.FromUnixTimeMilliseconds(Number("finished")));
    }

    public async IAsyncEnumerable<JobEvent> ReadAsync(string jobId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = Math.Max(0, afterSequence);
        while (true)
        {
            // The state is read first: a job's final state and its last event are written together, so a final state
            // read before the range means the range holds the last event.
            var changed = ChangeOf(jobId);
            var state = await Guard(() => Db.HashGetAsync(keys.Job(jobId), "state"));
            var entries = await Guard(() => Db.StreamRangeAsync(keys.Events(jobId), $"0-{cursor + 1}", "+", 64));
            foreach (var entry in entries)
            {
                var jobEvent = JobRecordCodec.Decode(entry);
                cursor = jobEvent.Sequence;
                yield return jobEvent;
                if (jobEvent is CompletedEvent or EndedEvent)
                {
                    yield break;
                }
            }

            if (entries.Length > 0)
            {
                continue;
            }

            if (state.IsNull)
            {
                throw new LikenessException(LikenessErrorKind.NotFound,
                    $"Job {jobId}'s records are gone from the job board while it was followed: Redis lost them (it restarted without persistence, or they were deleted). Its outcome is unknown; submit it again.");
            }

            if (Enum.Parse<JobState>((string)state!).IsFinal())
            {
                yield break; // ended, its last event already read
            }

            try
            {
                await changed.WaitAsync(cluster.PollInterval, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // No notification (lost, or none due): look again.
            }
        }
    }

    public async Task CancelAsync(string jobId, string reason, CancellationToken cancellationToken)
    {
        switch (JobScriptResults.Cancel(await Run(JobScripts.Cancel, [], [keys.Prefix, jobId, reason, Now, Retention, generator.MaxFinishedJobs])))
        {
            case CancelResult.EndedNow:
                await device.RecordOutcomeAsync(jobId);
                break;
            case CancelResult.Flagged: // its pod stops it within a denoising step and appends the final event
            case CancelResult.AlreadyEnded:
            case CancelResult.Missing: // the caller found the job before; it has since been forgotten
                break;
        }
    }

    public async Task<IAsyncDisposable> AttachStreamAsync(string jobId, Func<Task> onLastDetached, CancellationToken cancellationToken)
    {
        await Run(JobScripts.Attach, [], [keys.Prefix, jobId, 1]);
        return new Attachment(this, jobId, onLastDetached);
    }

    public async Task<int> AttachedStreamsAsync(string jobId, CancellationToken cancellationToken) =>
        (int)Math.Max(0, (long)await Run(JobScripts.Attach, [], [keys.Prefix, jobId, 0]));

    public IJobRun Take(CancellationToken cancellationToken) => device.Take(cancellationToken);

    public void StopTaking(string reason) => device.StopTaking();

    private void Changed(string jobId)
    {
        if (changes.TryRemove(jobId, out var signal))
        {
            signal.TrySetResult();
        }
    }

    private Task ChangeOf(string jobId) =>
        changes.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private Task<RedisResult> Run(string script, RedisKey[] scriptKeys, RedisValue[] values) => Guard(() => Db.ScriptEvaluateAsync(script, scriptKeys, values));

    private static Task<T> Guard<T>(Func<Task<T>> operation) => RedisFaults.Guard("The job board (Redis)", operation);

    public void Dispose()
    {
        forgetSignals.Dispose();
        device.Dispose();
    }

    private sealed class Attachment(RedisJobBoard board, string jobId, Func<Task> onLastDetached) : IAsyncDisposable
    {
        private int done;

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (Interlocked.Exchange(ref done, 1) == 0
                    && (long)await board.Run(JobScripts.Attach, [], [board.keys.Prefix, jobId, -1]) == 0)
                {
                    await onLastDetached();
                }
            }
            catch (LikenessException e) when (e.Kind == LikenessErrorKind.Unavailable)
            {
                // Redis is unreachable: the stream is gone either way, and the job goes on.
            }
        }
    }
}
