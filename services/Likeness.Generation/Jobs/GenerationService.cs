using System.Collections.Concurrent;
using System.Diagnostics;
using Likeness.Core.Errors;
using Likeness.Generation.Hosting;
using Likeness.Generation.Identities;
using Likeness.Generation.Requests;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Likeness.Generation.Jobs;

/// <summary>
/// The generator's domain: admits requests (validated, identities loaded, queue bounded), finds and cancels jobs,
/// forgets finished ones after the retention time, and refuses new work once the host is stopping.
/// </summary>
public sealed class GenerationService(
    IdentityLoader identities,
    GenerationQueue queue,
    IOptions<GeneratorOptions> options,
    IHostApplicationLifetime lifetime,
    JobOutcomes outcomes,
    TimeProvider time)
{
    private readonly ConcurrentDictionary<string, GenerationJob> jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GenerationJob> byClientRequest = new(StringComparer.Ordinal);
    private readonly Lock admission = new();

    public GeneratorOptions Options => options.Value;

    /// <summary>Admits a request, or returns the job a retry with the same client request id belongs to.</summary>
    /// <exception cref="LikenessException">INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, RESOURCE_EXHAUSTED or UNAVAILABLE.</exception>
    public async Task<GenerationJob> SubmitAsync(GenerationRequest received, CancellationToken cancellationToken)
    {
        EnsureAccepting();
        Forget();
        var request = GenerationRequestValidator.Normalize(received, options.Value);
        if (request.ClientRequestId.Length > 0 && byClientRequest.TryGetValue(request.ClientRequestId, out var known)
            && known.State is not (JobState.Cancelled or JobState.Failed))
        {
            return known;
        }

        queue.EnsureRoom();
        var loading = Stopwatch.GetTimestamp();
        var characters = await identities.LoadAsync(request.Characters, cancellationToken);
        var job = new GenerationJob(request, characters, Stopwatch.GetElapsedTime(loading), time.GetUtcNow(), outcomes.Record);
        lock (admission)
        {
            EnsureAccepting();
            queue.Enqueue(job);
            jobs[job.Id] = job;
            if (request.ClientRequestId.Length > 0)
            {
                byClientRequest[request.ClientRequestId] = job;
            }
        }

        return job;
    }

    /// <exception cref="LikenessException">NOT_FOUND when the job is unknown or was forgotten.</exception>
    public GenerationJob Find(string jobId)
    {
        if (string.IsNullOrEmpty(jobId))
        {
            throw LikenessException.InvalidArgument("job_id", "is required.");
        }

        return jobs.TryGetValue(jobId, out var job)
            ? job
            : throw new LikenessException(LikenessErrorKind.NotFound,
                $"Job {jobId} does not exist, or finished more than {options.Value.FinishedJobRetention} ago or before the {options.Value.MaxFinishedJobs} most recent.");
    }

    /// <summary>Stops a job: a queued one ends now, a running one within one denoising step.</summary>
    public void Cancel(GenerationJob job, string reason)
    {
        job.RequestCancel(reason);
        if (queue.Remove(job))
        {
            job.Publish(new EndedEvent(JobState.Cancelled, reason));
        }
    }

    /// <summary>
    /// Cancels the job and waits until it has ended (a running job stops within one step), so the caller learns its
    /// final state: CANCELLED, or COMPLETED when the last step was already done. Waits at most <paramref name="patience"/>.
    /// </summary>
    public async Task<JobState> CancelAsync(GenerationJob job, string reason, TimeSpan patience, CancellationToken cancellationToken)
    {
        Cancel(job, reason);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(patience);
        try
        {
            await job.WaitUntilFinishedAsync(bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A step longer than the patience: the job is still stopping and its state says RUNNING.
        }

        return job.State;
    }

    /// <summary>A Generate stream attaches to its job; when the last one goes (disconnect, deadline), the job is cancelled.</summary>
    public IDisposable AttachCaller(GenerationJob job) =>
        job.AttachStream(j => Cancel(j, "the client went away (disconnected or deadline passed)"));

    private void EnsureAccepting()
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new LikenessException(LikenessErrorKind.Unavailable, "The generator is shutting down; send the job to another instance.");
        }
    }

    /// <summary>Forgets finished jobs older than the retention, then the oldest beyond the most recent <c>MaxFinishedJobs</c>.</summary>
    private void Forget()
    {
        var horizon = time.GetUtcNow() - options.Value.FinishedJobRetention;
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

        foreach (var job in finished.OrderByDescending(j => j.FinishedAt).Skip(options.Value.MaxFinishedJobs))
        {
            Forget(job);
        }
    }

    private void Forget(GenerationJob job)
    {
        if (jobs.TryRemove(new KeyValuePair<string, GenerationJob>(job.Id, job)))
        {
            if (job.Request.ClientRequestId.Length > 0)
            {
                byClientRequest.TryRemove(new KeyValuePair<string, GenerationJob>(job.Request.ClientRequestId, job));
            }

            job.Dispose();
        }
    }
}
