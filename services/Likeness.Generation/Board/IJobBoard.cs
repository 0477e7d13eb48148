using Likeness.Core.Errors;
using Likeness.Generation.Board.Local;
using Likeness.Generation.Identities;
using Likeness.Generation.Requests;

namespace Likeness.Generation.Board;

/// <summary>
/// Where jobs, their queue and their event logs live: in this process (<see cref="LocalJobBoard"/>, the embedded
/// default) or in Redis, shared by every generator pod (<c>Board.Redis.RedisJobBoard</c>). The API side admits, finds, reads
/// and cancels jobs by id; the device side takes the next job and publishes its events. Both implementations keep one
/// contract: sequence numbers start at 1 and grow by one per event, the last event of a job is
/// <see cref="CompletedEvent"/> or <see cref="EndedEvent"/>, and nothing is appended after it.
/// </summary>
public interface IJobBoard
{
    /// <summary>Where the board keeps its jobs, for the start-up log line.</summary>
    string Description { get; }

    /// <summary>Whether other generator processes share the board: a job then outlives this process.</summary>
    bool IsShared { get; }

    /// <summary>Jobs waiting for a device (across the cluster for a shared board); the last value seen, for the queue-depth gauge.</summary>
    int WaitingJobs { get; }

    /// <summary>
    /// Admits a job for <paramref name="owner"/>, or returns the job its client request id is bound to: one job per
    /// (owner, id) however many submissions arrive at once, on however many pods, and only for the same parameters.
    /// <paramref name="prepare"/> (loading identities) runs only for a new job, after the queue was found to have room.
    /// </summary>
    /// <exception cref="LikenessException">
    /// RESOURCE_EXHAUSTED (the queue's bound is reached), ALREADY_EXISTS (the id is bound to other parameters),
    /// whatever <paramref name="prepare"/> throws, UNAVAILABLE when the board's store is unreachable.
    /// </exception>
    Task<JobSnapshot> SubmitAsync(
        GenerationRequest request, string owner, Func<CancellationToken, Task<PreparedJob>> prepare, CancellationToken cancellationToken);

    /// <summary>The job's current state, or null when it is unknown or was forgotten.</summary>
    Task<JobSnapshot?> FindAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Events after <paramref name="afterSequence"/>, then new ones as they come, until the job's last event.</summary>
    IAsyncEnumerable<JobEvent> ReadAsync(string jobId, long afterSequence, CancellationToken cancellationToken);

    /// <summary>Stops a job: a queued one ends now, a running one within one denoising step on the pod that runs it.</summary>
    Task CancelAsync(string jobId, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a <c>Generate</c> stream on the job; when the last one detaches (on any pod, for a shared board),
    /// <paramref name="onLastDetached"/> runs.
    /// </summary>
    Task<IAsyncDisposable> AttachStreamAsync(string jobId, Func<Task> onLastDetached, CancellationToken cancellationToken);

    /// <summary>Generate streams attached to the job now (on any pod, for a shared board); 0 when the job is unknown.</summary>
    Task<int> AttachedStreamsAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>The next job for this device, blocking the calling (device) thread until there is one.</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires.</exception>
    IJobRun Take(CancellationToken cancellationToken);

    /// <summary>
    /// The host is stopping: take no more jobs. A board of this process alone cancels its waiting jobs; a shared board
    /// leaves them to the other pods.
    /// </summary>
    void StopTaking(string reason);
}

/// <summary>What admitting a new job loaded for it.</summary>
/// <param name="LoadTime">How long loading the identities (and the clip it extends) took.</param>
public sealed record PreparedJob(IReadOnlyList<LoadedCharacter> Characters, TimeSpan LoadTime)
{
    /// <summary>
    /// The last frames of the clip the job continues, fitted to its frame size: interleaved RGB8, at most
    /// <see cref="ChunkSettings.Context"/> of them, in order; empty when it extends nothing.
    /// </summary>
    public IReadOnlyList<byte[]> ExtensionFrames { get; init; } = [];
}

/// <summary>
/// The chunks an earlier attempt at a job finished before its pod stopped: the first <paramref name="Count"/> chunks of
/// its plan, and their frames (interleaved RGB8, clip order) as published.
/// </summary>
public sealed record FinishedChunks(int Count, IReadOnlyList<byte[]> Frames)
{
    public static FinishedChunks None { get; } = new(0, []);
}

/// <summary>A job's state as a client sees it (GetJob); <see cref="LastSequence"/> is the sequence of its latest event.</summary>
public sealed record JobSnapshot(
    string Id,
    string Owner,
    JobState State,
    int QueuePosition,
    int Step,
    int TotalSteps,
    long LastSequence,
    string Reason,
    ulong Seed,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt);

/// <summary>A job as the device runs it: its request and identities, its cancellation, and where its events go.</summary>
public interface IJobRun
{
    string Id { get; }

    GenerationRequest Request { get; }

    /// <summary>The characters with their identity tokens.</summary>
    IReadOnlyList<LoadedCharacter> Characters { get; }

    /// <summary>The last frames of the clip the job continues (<see cref="PreparedJob.ExtensionFrames"/>); empty when none.</summary>
    IReadOnlyList<byte[]> ExtensionFrames { get; }

    /// <summary>What earlier attempts finished: this attempt goes on after it. <see cref="FinishedChunks.None"/> for a first attempt.</summary>
    FinishedChunks Finished { get; }

    /// <summary>The seed in use: the request's, or the one chosen at admission (53 bits). A rerun uses the same seed.</summary>
    ulong Seed { get; }

    DateTimeOffset CreatedAt { get; }

    TimeSpan LoadIdentitiesTime { get; }

    /// <summary>1 for the first run; more when the job is run again after the pod running it stopped.</summary>
    int Attempt { get; }

    /// <summary>Why this run is a rerun; empty for the first attempt.</summary>
    string RestartReason { get; }

    /// <summary>The generator running it, as clients are told (its consumer name); empty for a board of this process alone.</summary>
    string Generator { get; }

    /// <summary>Fires when the job is cancelled or taken from this pod; the denoising loop checks it before every step.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>Why <see cref="CancellationToken"/> fired.</summary>
    string Reason { get; }

    /// <summary>
    /// True when the run stopped without ending the job here: it goes on elsewhere (handed back at shutdown, or taken
    /// over by another pod), or it was already ended elsewhere or lost with Redis's data. No final event is published
    /// for it here.
    /// </summary>
    bool Relinquished { get; }

    /// <summary>Stops the run within one step; the job then ends as cancelled with <paramref name="reason"/>.</summary>
    void RequestCancel(string reason);

    /// <summary>Appends an event to the job's log (ignored once the job has ended or another pod has taken it).</summary>
    void Publish(JobEvent jobEvent);

    /// <summary>
    /// Stops the run so that the job is run again by another pod, when the board is shared; false (nothing done) for a
    /// board of this process alone, whose caller then cancels the job.
    /// </summary>
    bool TryHandBack(string reason);

    /// <summary>Called by the device once it is done with the run, whatever the outcome (stops its heartbeat, for a shared board).</summary>
    void EndRun();
}
