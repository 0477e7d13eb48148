using System.Collections.Concurrent;
using System.Diagnostics;
using Likeness.Core.Callers;
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
    private readonly ClientRequestIds clientRequestIds = new();
    private readonly Lock admission = new();

    public GeneratorOptions Options => options.Value;

    /// <summary>
    /// Validates a request as received and admits it on behalf of <paramref name="owner"/>, or returns the job its client
    /// request id is bound to: one job per id however many submissions arrive at once, and only for the same parameters.
    /// Client request ids are the owner's own: another principal's id starts a job of its own.
    /// </summary>
    /// <exception cref="LikenessException">
    /// INVALID_ARGUMENT, ALREADY_EXISTS (the client request id is bound to other parameters), NOT_FOUND,
    /// FAILED_PRECONDITION, RESOURCE_EXHAUSTED or UNAVAILABLE.
    /// </exception>
    public Task<GenerationJob> SubmitAsync(ReceivedGenerationRequest received, Caller owner, CancellationToken cancellationToken)
    {
        EnsureAccepting();
        Forget();
        var request = GenerationRequestValidator.Validate(received, options.Value);
        return request.ClientRequestId.Length == 0
            ? AdmitAsync(request, owner, cancellationToken)
            : clientRequestIds.BindAsync(
                owner.Principal,
                request.ClientRequestId,
                request.ParameterHash(),
                () => AdmitAsync(request, owner, cancellationToken),
                cancellationToken);
    }

    private async Task<GenerationJob> AdmitAsync(GenerationRequest request, Caller owner, CancellationToken cancellationToken)
    {
        queue.EnsureRoom();
        var loading = Stopwatch.GetTimestamp();
        var characters = await identities.LoadAsync(request.Characters, cancellationToken);
        var job = new GenerationJob(request, characters, Stopwatch.GetElapsedTime(loading), time.GetUtcNow(), owner.Principal, outcomes.Record);
        lock (admission)
        {
            EnsureAccepting();
            queue.Enqueue(job);
            jobs[job.Id] = job;
        }

        return job;
    }

    /// <summary>The job, when <paramref name="caller"/> created it or holds the admin role.</summary>
    /// <exception cref="LikenessException">NOT_FOUND when the job is unknown or was forgotten; PERMISSION_DENIED when it is another principal's.</exception>
    public GenerationJob Find(string jobId, Caller caller)
    {
        if (string.IsNullOrEmpty(jobId))
        {
            throw LikenessException.InvalidArgument("job_id", "is required.");
        }

        if (!jobs.TryGetValue(jobId, out var job))
        {
            throw new LikenessException(LikenessErrorKind.NotFound,
                $"Job {jobId} does not exist, or finished more than {options.Value.FinishedJobRetention} ago or before the {options.Value.MaxFinishedJobs} most recent.");
        }

        return job.IsVisibleTo(caller)
            ? job
            : throw new LikenessException(LikenessErrorKind.PermissionDenied,
                $"Job {jobId} belongs to another principal; only the principal that created it, or one with the admin role, may watch, get or cancel it.");
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
                clientRequestIds.Release(job.Owner, job.Request.ClientRequestId, job);
            }

            job.Dispose();
        }
    }
}
