using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Likeness.Generation.Identities;
using Likeness.Generation.Requests;

namespace Likeness.Generation.Board.Local;

/// <summary>
/// One generation on a board of this process alone (<see cref="LocalJobBoard"/>): its request, its state, and the
/// append-only log of its events that any number of readers follow at their own pace (a slow reader holds a cursor,
/// not a buffer).
/// </summary>
public sealed class GenerationJob : IJobRun, IDisposable
{
    private readonly Lock gate = new();
    private readonly List<JobEvent> events = [];
    private readonly CancellationTokenSource cancellation = new();
    private readonly Action<GenerationJob> finished;
    private readonly TimeProvider time;
    private TaskCompletionSource changed = NewSignal();
    private int attachedStreams;

    /// <param name="owner">The principal that creates it; empty without authentication.</param>
    /// <param name="finished">Called once, outside the job's lock, when the job reaches its final state (whoever ends it).</param>
    /// <param name="time">The clock of <see cref="CreatedAt"/> and <see cref="FinishedAt"/>.</param>
    internal GenerationJob(GenerationRequest request, PreparedJob prepared, string owner, Action<GenerationJob> finished, TimeProvider time)
    {
        this.finished = finished;
        this.time = time;
        Id = NewId();
        Owner = owner;
        Request = request;
        Characters = prepared.Characters;
        ExtensionFrames = prepared.ExtensionFrames;
        LoadIdentitiesTime = prepared.LoadTime;
        CreatedAt = time.GetUtcNow();
        Seed = request.Seed ?? RandomSeed();
    }

    public string Id { get; }

    /// <summary>A new job id: <c>job_</c> and 80 random bits in hex.</summary>
    public static string NewId() => "job_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    /// <summary>A random seed of 53 bits, exact in every client language (a JavaScript number holds it).</summary>
    public static ulong RandomSeed() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 11;

    /// <summary>The principal that created the job (empty without authentication); only it, or an admin, may watch, get or cancel it.</summary>
    public string Owner { get; }

    public GenerationRequest Request { get; }

    /// <summary>The characters with their identity tokens while the job may still run; empty once it has finished (the tokens are released).</summary>
    public IReadOnlyList<LoadedCharacter> Characters { get; private set; }

    /// <summary>The frames the job continues; empty once it has finished (released with the tokens).</summary>
    public IReadOnlyList<byte[]> ExtensionFrames { get; private set; }

    /// <summary>Always none: a job of this process runs once.</summary>
    public FinishedChunks Finished => FinishedChunks.None;

    /// <summary>The seed in use: the request's, or one chosen at random (53 bits, exact in every client language).</summary>
    public ulong Seed { get; }

    public DateTimeOffset CreatedAt { get; }

    public TimeSpan LoadIdentitiesTime { get; }

    /// <summary>Always 1: a job of this process runs once.</summary>
    public int Attempt => 1;

    public string RestartReason => "";

    public string Generator => "";

    public bool Relinquished => false;

    public JobState State { get; private set; } = JobState.Queued;

    public int QueuePosition { get; private set; }

    public int Step { get; private set; }

    public string Reason { get; private set; } = "";

    public DateTimeOffset? FinishedAt { get; private set; }

    public bool IsFinished => State.IsFinal();

    /// <summary>Bytes of the frames and previews its events hold, for the board's bound on what finished jobs keep.</summary>
    public long RetainedBytes { get; private set; }

    /// <summary>Fires when the job is cancelled; the denoising loop checks it before every step.</summary>
    public CancellationToken CancellationToken => cancellation.Token;

    /// <summary>Generate streams attached now.</summary>
    public int AttachedStreams => Volatile.Read(ref attachedStreams);

    /// <summary>Counts a stream that created or retried this job; when the last one detaches, <paramref name="onLastDetached"/> runs.</summary>
    internal IAsyncDisposable AttachStream(Func<Task> onLastDetached)
    {
        Interlocked.Increment(ref attachedStreams);
        return new Attachment(this, onLastDetached);
    }

    public void Publish(JobEvent jobEvent)
    {
        TaskCompletionSource signal;
        bool finishing;
        lock (gate)
        {
            if (IsFinished)
            {
                return;
            }

            events.Add(jobEvent with { Sequence = events.Count + 1 });
            RetainedBytes += jobEvent switch
            {
                FrameEvent frame => frame.Data.Length,
                PreviewEvent preview => preview.Images.Sum(i => (long)i.Length),
                _ => 0,
            };
            switch (jobEvent)
            {
                case QueuedEvent queued:
                    QueuePosition = queued.Position;
                    break;
                case StartedEvent:
                    State = JobState.Running;
                    break;
                case StepEvent step:
                    Step = step.Step;
                    break;
                case CompletedEvent:
                    Finish(JobState.Completed, "");
                    break;
                case EndedEvent ended:
                    Finish(ended.State, ended.Reason);
                    break;
            }

            finishing = IsFinished;
            signal = changed;
            changed = NewSignal();
        }

        signal.TrySetResult();
        if (finishing)
        {
            finished(this);
        }
    }

    /// <summary>Nowhere else to run it: the caller cancels the job instead.</summary>
    public bool TryHandBack(string reason) => false;

    public void EndRun()
    {
    }

    /// <summary>The job's state as GetJob reports it.</summary>
    public JobSnapshot Snapshot()
    {
        lock (gate)
        {
            return new JobSnapshot(Id, Owner, State, QueuePosition, Step, Request.Steps, events.Count, Reason, Seed, CreatedAt, FinishedAt);
        }
    }

    /// <summary>Asks the job to stop: a queued job ends at once (by its queue), a running one within one step.</summary>
    public void RequestCancel(string reason)
    {
        lock (gate)
        {
            if (IsFinished || cancellation.IsCancellationRequested)
            {
                return;
            }

            Reason = reason;
        }

        cancellation.Cancel();
    }

    /// <summary>Events after <paramref name="afterSequence"/>, then new ones as they come, until the job has finished.</summary>
    public async IAsyncEnumerable<JobEvent> ReadAsync(long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = (int)Math.Max(0, afterSequence);
        while (true)
        {
            JobEvent[] pending;
            Task next;
            bool finished;
            lock (gate)
            {
                pending = cursor < events.Count ? events.GetRange(cursor, events.Count - cursor).ToArray() : [];
                finished = IsFinished;
                next = changed.Task;
            }

            foreach (var jobEvent in pending)
            {
                yield return jobEvent;
            }

            cursor += pending.Length;
            if (finished && pending.Length == 0)
            {
                yield break;
            }

            if (pending.Length == 0)
            {
                await next.WaitAsync(cancellationToken);
            }
        }
    }

    private void Finish(JobState state, string reason)
    {
        // A finished job stays watchable for a while; its tokens (32 × D floats a character) are no longer needed.
        Characters = [];
        ExtensionFrames = [];
        State = state;
        Reason = reason.Length > 0 ? reason : Reason;
        FinishedAt = time.GetUtcNow();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose() => cancellation.Dispose();

    private sealed class Attachment(GenerationJob job, Func<Task> onLastDetached) : IAsyncDisposable
    {
        private int done;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref done, 1) == 0 && Interlocked.Decrement(ref job.attachedStreams) == 0)
            {
                await onLastDetached();
            }
        }
    }
}
