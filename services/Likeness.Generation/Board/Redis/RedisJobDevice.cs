using System.Globalization;
using Likeness.Generation.Requests;
using Likeness.Identity.Store;
using Likeness.Media;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Likeness.Generation.Board.Redis;

/// <summary>
/// The device side of the shared job board, on this pod: takes the next job when the device is free (or a job whose pod
/// stopped renewing its claim), prepares it from its record, and serves the running attempt (<see cref="RedisJobRun"/>):
/// appending its events, renewing and handing back its claim, and recording the outcome of each job it ends. Its
/// methods run on the device thread and may block; <see cref="RedisJobBoard"/> is the side the API calls.
/// </summary>
internal sealed class RedisJobDevice : IDisposable
{
    private readonly IConnectionMultiplexer redis;
    private readonly GeneratorOptions generator;
    private readonly ClusterOptions cluster;
    private readonly JobKeys keys;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Func<string, Task<JobSnapshot?>> find;
    private readonly Action<JobSnapshot> recordOutcome;
    private readonly Action<string> jobChanged;
    private readonly SemaphoreSlim work = new(0);
    private volatile RedisJobRun? running;
    private volatile bool stopped;
    private volatile bool ready;
    private bool subscribed;
    private int waitingJobs;
    private string reclaimCursor = "0-0";

    /// <param name="find">Reads a job's snapshot (for the outcome of a job this pod ended).</param>
    /// <param name="recordOutcome">Records the outcome line and counter of a job this pod ended.</param>
    /// <param name="jobChanged">Called with a job id whenever any pod publishes an event of that job.</param>
    public RedisJobDevice(
        IConnectionMultiplexer redis, GeneratorOptions generator, ClusterOptions cluster, JobKeys keys, TimeProvider time, ILogger logger,
        Func<string, Task<JobSnapshot?>> find, Action<JobSnapshot> recordOutcome, Action<string> jobChanged)
    {
        this.redis = redis;
        this.generator = generator;
        this.cluster = cluster;
        this.keys = keys;
        this.time = time;
        this.logger = logger;
        this.find = find;
        this.recordOutcome = recordOutcome;
        this.jobChanged = jobChanged;
    }

    /// <summary>Jobs admitted and not yet taken, as last read.</summary>
    public int WaitingJobs => Volatile.Read(ref waitingJobs);

    /// <summary>How often a running attempt renews its claim: a third of <see cref="ClusterOptions.ClaimTimeout"/>.</summary>
    public TimeSpan RenewEvery => cluster.ClaimTimeout / 3;

    public TimeProvider Time => time;

    /// <summary>This pod's consumer name in the group.</summary>
    public string Consumer => cluster.Consumer;

    public ILogger Logger => logger;

    private IDatabase Db => redis.GetDatabase();

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private long Retention => (long)generator.FinishedJobRetention.TotalMilliseconds;

    /// <summary>Sets the number of waiting jobs after an admission on this pod, before the device next reads it.</summary>
    public void Admitted(long position) => Interlocked.Exchange(ref waitingJobs, (int)position + 1);

    /// <summary>Blocks until a job can run on this pod (taken over or taken from the queue), polling while Redis is unreachable.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
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
                catch (Exception e) when (RedisFaults.IsTransient(e))
                {
                    // A Redis that restarted without its data has lost the consumer group too: make it again.
                    ready &= !e.Message.Contains("NOGROUP", StringComparison.Ordinal);
                    GenerationLog.RedisUnreachable(logger, e.Message);
                }
            }

            work.Wait(cluster.PollInterval, cancellationToken);
        }
    }

    public void StopTaking() => stopped = true;

    /// <summary>The next job from the queue, prepared to run; null when none waits.</summary>
    private RedisJobRun? TryTake()
    {
        EnsureGroup();
        RefreshWaiting();
        while (true)
        {
            var taken = JobScriptResults.Take(Db.ScriptEvaluate(JobScripts.Take, [], [keys.Prefix, cluster.ConsumerGroup, cluster.Consumer]));
            switch (taken.Result)
            {
                case TakeResult.NoneWaiting:
                    return null;
                case TakeResult.AlreadyEnded:
                    RefreshWaiting();
                    continue;
                case TakeResult.Taken:
                    RefreshWaiting();
                    if (Prepare(taken.JobId, taken.Attempt, "") is { } run)
                    {
                        return run;
                    }

                    continue; // it could not start (failed, or handed back): the next one
            }
        }
    }

    /// <summary>A running job whose pod stopped renewing its claim, taken over to run again; null when there is none.</summary>
    private RedisJobRun? TryReclaim()
    {
        EnsureGroup();
        while (true)
        {
            var reclaimed = JobScriptResults.Reclaim(Db.ScriptEvaluate(JobScripts.Reclaim, [],
                [keys.Prefix, cluster.ConsumerGroup, cluster.Consumer, (long)cluster.ClaimTimeout.TotalMilliseconds, cluster.MaxAttempts, Now, Retention, generator.MaxFinishedJobs, reclaimCursor]));
            var before = reclaimCursor;
            reclaimCursor = reclaimed.Cursor;
            switch (reclaimed.Result)
            {
                case ReclaimResult.NoneLapsed when before == "0-0" || reclaimCursor != "0-0":
                    return null; // scanned to the end (or will go on from the cursor on the next call)
                case ReclaimResult.NoneLapsed:
                    continue; // the scan wrapped: look once more from the start
                case ReclaimResult.AlreadyEnded:
                    continue;
                case ReclaimResult.FailedForGood:
                    GenerationLog.JobAbandoned(logger, reclaimed.JobId, reclaimed.Why);
                    RecordOutcome(reclaimed.JobId);
                    continue;
                case ReclaimResult.TakenOver:
                    GenerationLog.JobTakenOver(logger, reclaimed.JobId, reclaimed.Attempt, reclaimed.Why);

                    // Null when it could not start: failed, or handed back (then it would be claimed again at once).
                    return Prepare(reclaimed.JobId, reclaimed.Attempt, reclaimed.Why);
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
            var fields = Db.HashGetAll(keys.Job(jobId)).ToDictionary(e => (string)e.Name!, e => e.Value);
            RedisValue Field(RedisValue name) => fields.GetValueOrDefault((string)name!);
            var request = JobRecordCodec.DecodeRequest((string)Field("request")!);
            var characters = JobRecordCodec.DecodeCharacters(request.Characters,
                [.. JobRecordCodec.CharacterFields(request.Characters.Count).Select(Field)]);
            var finished = attempt > 1 ? FinishedChunks(jobId) : Board.FinishedChunks.None;
            run.Start(request, characters, JobRecordCodec.DecodeExtension(Field), finished, ulong.Parse((string)Field("seed")!, CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds((long)Field("created")), TimeSpan.FromMilliseconds((long)Field("load")));
            run.RestartReason = restartReason.Length == 0 ? "" : restartReason + (finished.Count == 0
                ? "; run again from the start with the same seed"
                : $"; goes on after its {finished.Count} finished chunks ({finished.Frames.Count} frames) with the same seed");
            if (Field("cancel") is { IsNullOrEmpty: false } cancel)
            {
                run.RequestCancel((string)cancel!);
            }

            return run;
        }
        catch (Exception e) when (RedisFaults.IsTransient(e))
        {
            GenerationLog.JobPostponed(logger, jobId, e.Message);
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

    /// <summary>
    /// What earlier attempts at the job finished, read from its events: the chunks up to the last
    /// <see cref="ChunkFinishedEvent"/> and their frames, decoded to RGB8 (the same bytes the attempt published).
    /// </summary>
    /// <exception cref="InvalidDataException">A finished chunk's frame is missing from the events.</exception>
    private FinishedChunks FinishedChunks(string jobId)
    {
        var events = Db.StreamRange(keys.Events(jobId)).Select(JobRecordCodec.Decode).ToList();
        if (events.OfType<ChunkFinishedEvent>().LastOrDefault() is not { } last)
        {
            return Board.FinishedChunks.None;
        }

        var frameCount = last.FirstFrame + last.Frames;
        var frames = new byte[frameCount][];
        foreach (var frame in events.OfType<FrameEvent>().Where(f => f.Index < frameCount))
        {
            frames[frame.Index] = frame.Encoding == FrameEncoding.Rgb8 ? frame.Data : FrameImages.DecodeRgb(frame.Data).Rgb;
        }

        var missing = Array.FindIndex(frames, f => f is null);
        return missing < 0
            ? new FinishedChunks(last.Chunk + 1, frames)
            : throw new InvalidDataException($"frame {missing} of finished chunk {last.Chunk} is missing from the job's events.");
    }

    /// <summary>The outcome line and counter of a job this pod just ended (skipped when Redis fails meanwhile: the job has ended either way).</summary>
    public async Task RecordOutcomeAsync(string jobId)
    {
        try
        {
            if (await find(jobId) is { } ended)
            {
                recordOutcome(ended);
            }
        }
        catch (Likeness.Core.Errors.LikenessException e)
        {
            GenerationLog.RedisUnreachable(logger, e.Message);
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
            subscriber.Subscribe(keys.EventsChannel, (_, job) => jobChanged(job!));
            subscriber.Subscribe(keys.WorkChannel, (_, _) => Wake());
            subscriber.Subscribe(keys.CancelChannel, (_, message) => CancelRequested(message!));
            subscribed = true;
        }

        try
        {
            Db.StreamCreateConsumerGroup(keys.Queue, cluster.ConsumerGroup, "0-0", createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another pod made it first.
        }

        ready = true;
    }

    private void RefreshWaiting() => Interlocked.Exchange(ref waitingJobs, (int)Db.SortedSetLength(keys.Waiting));

    /// <summary>Appends an event of <paramref name="run"/>, fenced by its attempt; a final event also records the outcome.</summary>
    /// <exception cref="RedisException">Redis is unreachable (the run retries).</exception>
    public AppendOutcome Append(RedisJobRun run, JobEvent jobEvent)
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
            keys.Prefix, run.Id, run.Attempt, cluster.ConsumerGroup, final ? 1 : 0, Now, Retention, generator.MaxFinishedJobs, run.EventToken, fields.Length / 2,
        };
        arguments.AddRange(fields.Select(f => f switch { int i => (RedisValue)i, _ => (RedisValue)(string)f }));
        foreach (var field in entry)
        {
            arguments.Add(field.Name);
            arguments.Add(field.Value);
        }

        var outcome = JobScriptResults.Append(Db.ScriptEvaluate(JobScripts.Append, [], [.. arguments]));
        if (outcome.Result == AppendResult.Appended && final)
        {
            RecordOutcome(run.Id);
        }

        return outcome;
    }

    /// <summary>Renews the run's claim: whether the attempt still owns the job, and a cancel request seen (empty: none).</summary>
    public async Task<RenewOutcome> RenewAsync(RedisJobRun run) =>
        JobScriptResults.Renew(await Db.ScriptEvaluateAsync(JobScripts.Renew, [], [keys.Prefix, run.Id, run.Attempt, cluster.ConsumerGroup, cluster.Consumer]));

    /// <summary>Hands the run's claim back so another pod takes the job over at once; false when the attempt no longer owns it.</summary>
    public bool HandBack(RedisJobRun run) =>
        (int)Db.ScriptEvaluate(JobScripts.HandBack, [], [keys.Prefix, run.Id, run.Attempt, cluster.ConsumerGroup, cluster.Consumer]) == 1;

    public void Ended(RedisJobRun run) => Interlocked.CompareExchange(ref running, null, run);

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

    public void Dispose() => work.Dispose();
}
