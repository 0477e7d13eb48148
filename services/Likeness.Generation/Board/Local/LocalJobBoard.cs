using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Likeness.Core.Errors;
using Likeness.Generation.Requests;

namespace Likeness.Generation.Board.Local;

/// <summary>
/// The embedded default: jobs, their bounded queue and their event logs in this process's memory. Finished jobs are
/// forgotten after <see cref="GeneratorOptions.FinishedJobRetention"/>, then the oldest beyond
/// <see cref="GeneratorOptions.MaxFinishedJobs"/>.
/// </summary>
public sealed class LocalJobBoard(GeneratorOptions options, JobOutcomes outcomes, TimeProvider time) : IJobBoard, IDisposable
{
    private readonly ConcurrentDictionary<string, GenerationJob> jobs = new(StringComparer.Ordinal);
    private readonly GenerationQueue queue = new(options.MaxQueuedJobs);
    private readonly ClientRequestIds clientRequestIds = new();
    private readonly Lock admission = new();
    private string? stopped;

    public string Description => "this process (no Redis: jobs are not shared with other generators)";

    public bool IsShared => false;

    public int WaitingJobs => queue.Depth;

    public Task<JobSnapshot> SubmitAsync(
        GenerationRequest request, string owner, Func<CancellationToken, Task<PreparedJob>> prepare, CancellationToken cancellationToken)
    {
        Forget();
        return SnapshotOf(request.ClientRequestId.Length == 0
            ? Admit()
            : clientRequestIds.BindAsync(owner, request.ClientRequestId, request.ParameterHash(), Admit, cancellationToken));

        static async Task<JobSnapshot> SnapshotOf(Task<GenerationJob> job) => (await job).Snapshot();

        async Task<GenerationJob> Admit()
        {
            queue.EnsureRoom();
            var prepared = await prepare(cancellationToken);
            var job = new GenerationJob(request, prepared, owner, j => outcomes.Record(j.Snapshot()), time);
            lock (admission)
            {
                if (stopped is { } reason)
                {
                    throw new LikenessException(LikenessErrorKind.Unavailable, $"The generator is shutting down ({reason}); send the job to another instance.");
                }

                queue.Enqueue(job);
                jobs[job.Id] = job;
            }

            return job;
        }
    }

    public Task<JobSnapshot?> FindAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(jobs.TryGetValue(jobId, out var job) ? job.Snapshot() : null);

    public async IAsyncEnumerable<JobEvent> ReadAsync(string jobId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var job = Known(jobId);
        await foreach (var jobEvent in job.ReadAsync(afterSequence, cancellationToken))
        {
            yield return jobEvent;
        }
    }

    public Task CancelAsync(string jobId, string reason, CancellationToken cancellationToken)
    {
        if (jobs.TryGetValue(jobId, out var job))
        {
            job.RequestCancel(reason);
            if (queue.Remove(job))
            {
                job.Publish(new EndedEvent(JobState.Cancelled, reason));
            }
        }

        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> AttachStreamAsync(string jobId, Func<Task> onLastDetached, CancellationToken cancellationToken) =>
        Task.FromResult(Known(jobId).AttachStream(onLastDetached));

    public Task<int> AttachedStreamsAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(jobs.TryGetValue(jobId, out var job) ? job.AttachedStreams : 0);

    public IJobRun Take(CancellationToken cancellationToken) => queue.Take(cancellationToken);

    public void StopTaking(string reason)
    {
        lock (admission)
        {
            stopped = reason;
        }

        foreach (var job in queue.Drain())
        {
            job.RequestCancel(reason);
            job.Publish(new EndedEvent(JobState.Cancelled, reason));
        }
    }

    /// <exception cref="LikenessException">NOT_FOUND when the job was forgotten meanwhile.</exception>
    private GenerationJob Known(string jobId) => jobs.TryGetValue(jobId, out var job)
        ? job
        : throw new LikenessException(LikenessErrorKind.NotFound, $"Job {jobId} was forgotten (finished more than {options.FinishedJobRetention} ago, before the {options.MaxFinishedJobs} most recent, or past the {options.MaxFinishedJobBytes / (1024 * 1024)} MiB of frames finished jobs may keep).");

    /// <summary>
    /// Forgets finished jobs older than the retention, then the oldest beyond the most recent <c>MaxFinishedJobs</c>, then
    /// the oldest while the frames and previews of those left exceed <c>MaxFinishedJobBytes</c>.
    /// </summary>
    private void Forget()
    {
        var horizon = time.GetUtcNow() - options.FinishedJobRetention;
        var finished = new List<GenerationJob>();
        foreach (var job in jobs.Values)
        {
            if (job.FinishedAt is not { } at)
            {
                continue;
            }

            if (at < horizon)
            {
                Forget(job);
            }
            else
            {
                finished.Add(job);
            }
        }

        var kept = 0L;
        foreach (var (job, index) in finished.OrderByDescending(j => j.FinishedAt).Select((j, i) => (j, i)))
        {
            kept += job.RetainedBytes;
            if (index >= options.MaxFinishedJobs || kept > options.MaxFinishedJobBytes)
            {
                Forget(job);
            }
        }
    }

    private void Forget(GenerationJob job)
    {
        if (jobs.TryRemove(new KeyValuePair<string, GenerationJob>(job.Id, job)))
        {
            if (job.Request.ClientRequestId.Length > 0)
            {
                clientRequestIds.Release(job.Owner, job.Request.ClientRequestId, job);
            }

            job.Dispose();
        }
    }

    public void Dispose() => queue.Dispose();
}
