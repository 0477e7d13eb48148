using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Likeness.Core.Errors;
using Likeness.Generation.Hosting;
using Likeness.Generation.Jobs;
using Likeness.Generation.Requests;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Likeness.Generation.Cluster;

/// <summary>
/// The job board every generator pod shares, in Redis: the queue is a stream read by one consumer group (a pod takes
/// the next job when its device is free), each job's events a stream of their own, and its state a hash; the scripts
/// in <see cref="JobScripts"/> make every change atomic. Any pod admits, finds, follows and cancels any job. A running
/// job's pod renews its claim every third of <see cref="ClusterOptions.ClaimTimeout"/>; an idle pod takes over a job
/// whose claim lapsed and runs it again from the start with the same seed, at most <see cref="ClusterOptions.MaxAttempts"/>
/// times. Pub/sub wakes idle pods, watchers and the running pod at once; polling every
/// <see cref="ClusterOptions.PollInterval"/> covers a lost message.
/// </summary>
public sealed partial class RedisJobBoard : IJobBoard, IDisposable
{
    private readonly IConnectionMultiplexer redis;
    private readonly GeneratorOptions generator;
    private readonly ClusterOptions cluster;
    private readonly JobOutcomes outcomes;
    private readonly TimeProvider time;
    private readonly ILogger<RedisJobBoard> logger;
    private readonly string prefix;
    private readonly SemaphoreSlim work = new(0);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> changes = new(StringComparer.Ordinal);
    private readonly ITimer forgetSignals;
    private volatile RedisJobRun? running;
    private volatile bool stopped;
    private volatile bool ready;
    private bool subscribed;
    private int waitingJobs;
    private string reclaimCursor = "0-0";

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
        this.outcomes = outcomes;
        this.time = time;
        this.logger = logger;
        prefix = cluster.KeyPrefix;
        // Watchers wait on a signal per job or for one poll interval; dropping the signals now and then bounds them.
        forgetSignals = time.CreateTimer(_ => changes.Clear(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    public string Description => $"Redis ({string.Join(", ", redis.GetEndPoints().Select(e => e.ToString()))}), shared by every generator; this pod is consumer {cluster.Consumer} of group {cluster.ConsumerGroup}";

    public bool IsShared => true;

    public int WaitingJobs => Volatile.Read(ref waitingJobs);

    private IDatabase Db => redis.GetDatabase();

    private string JobKey(string jobId) => prefix + "job:" + jobId;

    private string EventsKey(string jobId) => prefix + "job:" + jobId + ":events";

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private long Retention => (long)generator.FinishedJobRetention.TotalMilliseconds;

    public async Task<JobSnapshot> SubmitAsync(
        GenerationRequest request, string owner, Func<CancellationToken, Task<PreparedJob>> prepare, CancellationToken cancellationToken)
    {
        if (request.ClientRequestId.Length == 0)
        {
            return await AdmitAsync(GenerationJob.NewId(), request, owner, prepare, "", cancellationToken);
        }

        RedisKey binding = prefix + "crid:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(owner + "\n" + request.ClientRequestId)));
        var hash = request.ParameterHash();
        while (true)
        {
            var jobId = GenerationJob.NewId();
            var bound = (RedisResult[])(await Run(JobScripts.Bind, [binding], [prefix, jobId, hash, (long)TimeSpan.FromMinutes(1).TotalMilliseconds]))!;
            var (verdict, boundJob) = ((string)bound[0]!, (string)bound[1]!);
            if (verdict == "new")
            {
                try
                {
                    // The admission script marks the binding admitted in the same step.
                    return await AdmitAsync(jobId, request, owner, prepare, binding.ToString(), cancellationToken);
                }
                catch
                {
                    await Run(JobScripts.Unbind, [binding], [prefix, jobId]);
                    throw;
                }
            }

            if (verdict == "conflict")
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
        if (await Guard(() => Db.SortedSetLengthAsync(prefix + "waiting")) >= generator.MaxQueuedJobs)
        {
            throw QueueFull();
        }

        var prepared = await prepare(cancellationToken);
        var seed = request.Seed ?? GenerationJob.RandomSeed();
        var created = time.GetUtcNow();
        var position = (long)(await Run(JobScripts.Admit, [],
        [
            prefix, jobId, generator.MaxQueuedJobs, (long)cluster.UnfinishedJobTimeToLive.TotalMilliseconds,
            "owner", owner, "request", JobRecordCodec.EncodeRequest(request), "seed", seed, "created", created.ToUnixTimeMilliseconds(),
            "load", (long)prepared.LoadTime.TotalMilliseconds, "steps", request.Steps, "crid", binding,
            "characters", prepared.Characters.Count, .. JobRecordCodec.EncodeCharacters(prepared.Characters),
        ]));
        if (position < 0)
        {
            throw QueueFull();
        }

        Interlocked.Exchange(ref waitingJobs, (int)position + 1);
        return new JobSnapshot(jobId, owner, JobState.Queued, (int)position, 0, request.Steps, 1, "", seed, created, null);
    }

    private LikenessException QueueFull() => JobErrors.QueueFull(generator.MaxQueuedJobs, shared: true);

    /// <summary>The job hash's fields a snapshot reads: not the request or the characters' tokens.</summary>
    private static readonly RedisValue[] SnapshotFields = ["state", "owner", "pos", "step", "steps", "seq", "reason", "seed", "created", "finished"];

    public async Task<JobSnapshot?> FindAsync(string jobId, CancellationToken cancellationToken)
    {
        var values = await Guard(() => Db.HashGetAsync(JobKey(jobId), SnapshotFields));
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
            var state = await Guard(() => Db.HashGetAsync(JobKey(jobId), "state"));
            var entries = await Guard(() => Db.StreamRangeAsync(EventsKey(jobId), $"0-{cursor + 1}", "+", 64));
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
        var result = (string)(await Run(JobScripts.Cancel, [], [prefix, jobId, reason, Now, Retention, generator.MaxFinishedJobs]))!;
        if (result == "EndedNow")
        {
            await RecordOutcomeAsync(jobId);
        }
    }

    public async Task<IAsyncDisposable> AttachStreamAsync(string jobId, Func<Task> onLastDetached, CancellationToken cancellationToken)
    {
        await Run(JobScripts.Attach, [], [prefix, jobId, 1]);
        return new Attachment(this, jobId, onLastDetached);
    }

    public IJobRun Take(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!stopped)
            {
                try
                {
                    if ((TryReclaim() ?? TryTake()) is { } run)
                    {
                        return run;
                    }
                }
                catch (Exception e) when (IsTransient(e))
                {
                    // A Redis that restarted without its data has lost the consumer group too: make it again.
                    ready &= !e.Message.Contains("NOGROUP", StringComparison.Ordinal);
                    RedisUnreachable(logger, e.Message);
                }
            }

            work.Wait(cluster.PollInterval, cancellationToken);
        }
    }

    public void StopTaking(string reason) => stopped = true;

    /// <summary>The next job from the queue, prepared to run; null when none waits.</summary>
    private RedisJobRun? TryTake()
    {
        EnsureGroup();
        RefreshWaiting();
        while (Db.ScriptEvaluate(JobScripts.Take, [], [prefix, cluster.ConsumerGroup, cluster.Consumer]) is { IsNull: false } taken)
        {
            var parts = (RedisResult[])taken!;
            var (jobId, attempt) = ((string)parts[1]!, (int)parts[2]);
            RefreshWaiting();
            if (attempt > 0 && Prepare(jobId, attempt, "") is { } run)
            {
                return run;
            }
        }

        return null;
    }

    /// <summary>A running job whose pod stopped renewing its claim, taken over to run again; null when there is none.</summary>
    private RedisJobRun? TryReclaim()
    {
        EnsureGroup();
        while (true)
        {
            var parts = (RedisResult[])Db.ScriptEvaluate(JobScripts.Reclaim, [],
                [prefix, cluster.ConsumerGroup, cluster.Consumer, (long)cluster.ClaimTimeout.TotalMilliseconds, cluster.MaxAttempts, Now, Retention, generator.MaxFinishedJobs, reclaimCursor])!;
            var before = reclaimCursor;
            reclaimCursor = (string)parts[0]!;
            if (parts.Length == 1)
            {
                if (before == "0-0" || reclaimCursor != "0-0")
                {
                    return null; // scanned to the end (or will go on from the cursor on the next call)
                }

                continue; // the scan wrapped: look once more from the start
            }

            var (jobId, attempt, why) = ((string)parts[2]!, (int)parts[3], (string)parts[4]!);
            if (attempt < 0)
            {
                JobAbandoned(logger, jobId, why);
                RecordOutcome(jobId);
            }
            else if (attempt > 0)
            {
                JobTakenOver(logger, jobId, attempt, why);

                // Null when it could not start: failed, or handed back (then it would be claimed again at once).
                return Prepare(jobId, attempt, $"{why}; run again from the start with the same seed");
            }
        }
    }

    /// <summary>
    /// Reads the job's request and the identity tokens stored with it at admission (so a job runs with the identities
    /// it was admitted with, even if one is deleted or expires while it waits). A job that cannot run (its record
    /// unreadable) ends FAILED; one that cannot be read now (Redis unreachable) is handed back to run later. Null in
    /// both cases.
    /// </summary>
    private RedisJobRun? Prepare(string jobId, int attempt, string restartReason)
    {
        var run = new RedisJobRun(this, jobId, attempt, restartReason);
        running = run; // before the cancel flag is read: a cancel published from here on reaches the run
        try
        {
            // One read of the whole record: the request, the seed and times, the cancel flag and the characters' tokens.
            var fields = Db.HashGetAll(JobKey(jobId)).ToDictionary(e => (string)e.Name!, e => e.Value);
            RedisValue Field(RedisValue name) => fields.GetValueOrDefault((string)name!);
            var request = JobRecordCodec.DecodeRequest((string)Field("request")!);
            var characters = JobRecordCodec.DecodeCharacters(request.Characters,
                [.. JobRecordCodec.CharacterFields(request.Characters.Count).Select(Field)]);
            run.Start(request, characters, ulong.Parse((string)Field("seed")!, CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds((long)Field("created")), TimeSpan.FromMilliseconds((long)Field("load")));
            if (Field("cancel") is { IsNullOrEmpty: false } cancel)
            {
                run.RequestCancel((string)cancel!);
            }

            return run;
        }
        catch (Exception e) when (IsTransient(e))
        {
            JobPostponed(logger, jobId, e.Message);
            run.TryHandBack(e.Message);
            run.EndRun();
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or FormatException or ArgumentNullException)
        {
            run.Publish(new EndedEvent(JobState.Failed, $"the job could not start: {e.Message}"));
            run.EndRun();
            return null;
        }
    }

    /// <summary>The outcome line and counter of a job this pod just ended (skipped when Redis fails meanwhile: the job has ended either way).</summary>
    private async Task RecordOutcomeAsync(string jobId)
    {
        try
        {
            if (await FindAsync(jobId, CancellationToken.None) is { } ended)
            {
                outcomes.Record(ended);
            }
        }
        catch (LikenessException e)
        {
            RedisUnreachable(logger, e.Message);
        }
    }

    /// <summary><see cref="RecordOutcomeAsync"/> from the device thread, which may block.</summary>
    private void RecordOutcome(string jobId) => RecordOutcomeAsync(jobId).GetAwaiter().GetResult();

    /// <summary>
    /// The consumer group and this pod's subscriptions, made on the device thread's first look at the queue rather than
    /// at start-up, so a generator starts while Redis is down and connects once it is back (until then, polling).
    /// </summary>
    private void EnsureGroup()
    {
        if (ready)
        {
            return;
        }

        if (!subscribed)
        {
            var subscriber = redis.GetSubscriber();
            subscriber.Subscribe(RedisChannel.Literal(prefix + "events"), (_, job) => Changed(job!));
            subscriber.Subscribe(RedisChannel.Literal(prefix + "work"), (_, _) => Wake());
            subscriber.Subscribe(RedisChannel.Literal(prefix + "cancel"), (_, message) => CancelRequested(message!));
            subscribed = true;
        }

        try
        {
            Db.StreamCreateConsumerGroup(prefix + "queue", cluster.ConsumerGroup, "0-0", createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another pod made it first.
        }

        ready = true;
    }

    private void RefreshWaiting() => Interlocked.Exchange(ref waitingJobs, (int)Db.SortedSetLength(prefix + "waiting"));

    /// <summary>Appends an event of <paramref name="run"/>; the sequence number, or -1 (another attempt owns the job) or -2 (it is not running).</summary>
    internal long Append(RedisJobRun run, JobEvent jobEvent)
    {
        var (final, fields) = jobEvent switch
        {
            StartedEvent => (false, (object[])["state", nameof(JobState.Running), "step", 0]),
            StepEvent step => (false, ["step", step.Step]),
            CompletedEvent => (true, ["state", nameof(JobState.Completed)]),
            EndedEvent stopped => (true, ["state", stopped.State.ToString(), "reason", stopped.Reason]),
            _ => (false, []),
        };
        var entry = JobRecordCodec.Encode(jobEvent);
        var arguments = new List<RedisValue>(12 + fields.Length + (entry.Length * 2))
        {
            prefix, run.Id, run.Attempt, cluster.ConsumerGroup, final ? 1 : 0, Now, Retention, generator.MaxFinishedJobs, run.EventToken, fields.Length / 2,
        };
        arguments.AddRange(fields.Select(f => f switch { int i => (RedisValue)i, _ => (RedisValue)(string)f }));
        foreach (var field in entry)
        {
            arguments.Add(field.Name);
            arguments.Add(field.Value);
        }

        var sequence = (long)Db.ScriptEvaluate(JobScripts.Append, [], [.. arguments]);
        if (sequence > 0 && final)
        {
            RecordOutcome(run.Id);
        }

        return sequence;
    }

    /// <summary>Renews the run's claim: whether the attempt still owns the job, and a cancel request seen (empty: none).</summary>
    internal async Task<(bool Owned, string Cancel)> RenewAsync(RedisJobRun run)
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(JobScripts.Renew, [], [prefix, run.Id, run.Attempt, cluster.ConsumerGroup, cluster.Consumer]))!;
        return ((int)result[0] == 1, (string)result[1]!);
    }

    internal bool HandBack(RedisJobRun run) =>
        (int)Db.ScriptEvaluate(JobScripts.HandBack, [], [prefix, run.Id, run.Attempt, cluster.ConsumerGroup, cluster.Consumer]) == 1;

    internal TimeSpan RenewEvery => cluster.ClaimTimeout / 3;

    internal TimeProvider Time => time;

    internal string Consumer => cluster.Consumer;

    internal ILogger Logger => logger;

    internal void Ended(RedisJobRun run) => Interlocked.CompareExchange(ref running, null, run);

    private void Changed(string jobId)
    {
        if (changes.TryRemove(jobId, out var signal))
        {
            signal.TrySetResult();
        }
    }

    private Task ChangeOf(string jobId) =>
        changes.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private void Wake()
    {
        if (work.CurrentCount == 0)
        {
            work.Release();
        }
    }

    private void CancelRequested(string message)
    {
        var split = message.IndexOf('\n', StringComparison.Ordinal);
        if (split > 0 && running is { } run && run.Id == message[..split])
        {
            run.RequestCancel(message[(split + 1)..]);
        }
    }

    private Task<RedisResult> Run(string script, RedisKey[] keys, RedisValue[] values) => Guard(() => Db.ScriptEvaluateAsync(script, keys, values));

    /// <summary>
    /// Whether <paramref name="e"/> is Redis being unreachable or slow: StackExchange.Redis's timeouts derive from
    /// <see cref="TimeoutException"/>, not from <see cref="RedisException"/>.
    /// </summary>
    internal static bool IsTransient(Exception e) => e is RedisException or RedisTimeoutException;

    private static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw new LikenessException(LikenessErrorKind.Unavailable, $"The job board (Redis) is unreachable: {e.Message}", inner: e);
        }
    }

    public void Dispose()
    {
        forgetSignals.Dispose();
        work.Dispose();
    }

    [LoggerMessage(220, LogLevel.Warning, "The job board (Redis) is unreachable; retrying: {Message}")]
    private static partial void RedisUnreachable(ILogger logger, string message);

    [LoggerMessage(221, LogLevel.Warning, "Job {JobId} taken over as attempt {Attempt}: {Why}")]
    private static partial void JobTakenOver(ILogger logger, string jobId, int attempt, string why);

    [LoggerMessage(224, LogLevel.Warning, "Job {JobId} handed back to run later: {Why}")]
    private static partial void JobPostponed(ILogger logger, string jobId, string why);

    [LoggerMessage(222, LogLevel.Error, "Job {JobId} failed for good: {Why}")]
    private static partial void JobAbandoned(ILogger logger, string jobId, string why);

    private sealed class Attachment(RedisJobBoard board, string jobId, Func<Task> onLastDetached) : IAsyncDisposable
    {
        private int done;

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (Interlocked.Exchange(ref done, 1) == 0
                    && (long)await board.Run(JobScripts.Attach, [], [board.prefix, jobId, -1]) == 0)
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
