using System.Diagnostics;
using System.Runtime.CompilerServices;
using Likeness.Core.Callers;
using Likeness.Core.Errors;
using Likeness.Generation.Board;
using Likeness.Generation.Hosting;
using Likeness.Generation.Identities;
using Likeness.Generation.Requests;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Likeness.Generation;

/// <summary>
/// The generator's domain: validates requests and loads their identities, then admits, finds, follows and cancels jobs
/// on the job board (this process's, or the cluster's in Redis, where any pod serves any call); refuses new work once
/// the host is stopping.
/// </summary>
public sealed class GenerationService(
    IdentityLoader identities, IJobBoard board, VideoModelHost videoModel, IOptions<GeneratorOptions> options, IHostApplicationLifetime lifetime)
{
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
    public async Task<JobSnapshot> SubmitAsync(ReceivedGenerationRequest received, Caller owner, CancellationToken cancellationToken)
    {
        EnsureAccepting();
        // The sampler is the model's: UNAVAILABLE while it loads, as DescribeModel answers.
        var request = GenerationRequestValidator.Validate(received, options.Value, videoModel.Require().Config.Objective);
        return await board.SubmitAsync(request, owner.Principal, async token =>
        {
            var loading = Stopwatch.GetTimestamp();
            var characters = await identities.LoadAsync(request.Characters, token);
            var extension = await ExtensionFrames.LoadAsync(request, received.Extend?.Frames ?? [], board, (id, t) => FindAsync(id, owner, t), token);
            EnsureAccepting();
            return new PreparedJob(characters, Stopwatch.GetElapsedTime(loading)) { ExtensionFrames = extension };
        }, cancellationToken);
    }

    /// <summary>The job, when <paramref name="caller"/> created it or holds the admin role.</summary>
    /// <exception cref="LikenessException">
    /// INVALID_ARGUMENT without a job id; NOT_FOUND when the job is unknown or was forgotten; PERMISSION_DENIED when it
    /// is another principal's; UNAVAILABLE when the board's store is unreachable.
    /// </exception>
    public async Task<JobSnapshot> FindAsync(string jobId, Caller caller, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(jobId))
        {
            throw LikenessException.InvalidArgument("job_id", "is required.");
        }

        var job = await board.FindAsync(jobId, cancellationToken)
            ?? throw new LikenessException(LikenessErrorKind.NotFound,
                $"Job {jobId} does not exist, or finished more than {options.Value.FinishedJobRetention} ago or before the {options.Value.MaxFinishedJobs} most recent.");
        return caller.MayActFor(job.Owner)
            ? job
            : throw new LikenessException(LikenessErrorKind.PermissionDenied,
                $"Job {jobId} belongs to another principal; only the principal that created it, or one with the admin role, may watch, get or cancel it.");
    }

    /// <summary>
    /// The job's events after <paramref name="afterSequence"/>, then new ones, until its last event. On a shared board
    /// the job outlives this process, so when the host starts stopping the stream ends at once with UNAVAILABLE telling
    /// the client to follow the job on another generator.
    /// </summary>
    /// <exception cref="LikenessException">UNAVAILABLE: this generator is stopping (shared board), or the board's store is unreachable.</exception>
    public async IAsyncEnumerable<JobEvent> ReadAsync(JobSnapshot job, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, board.IsShared ? lifetime.ApplicationStopping : CancellationToken.None);
        var last = afterSequence;
        var events = board.ReadAsync(job.Id, afterSequence, stopping.Token).GetAsyncEnumerator(stopping.Token);
        try
        {
            while (true)
            {
                try
                {
                    if (!await events.MoveNextAsync())
                    {
                        yield break;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new LikenessException(LikenessErrorKind.Unavailable,
                        $"This generator is shutting down; job {job.Id} goes on: follow it on another generator with WatchJob, after_sequence {last}.");
                }

                last = events.Current.Sequence;
                yield return events.Current;
            }
        }
        finally
        {
            await events.DisposeAsync();
        }
    }

    /// <summary>
    /// Cancels the job and waits until it has ended (a running job stops within one step, on whichever pod runs it), so
    /// the caller learns its final state: CANCELLED, or COMPLETED when the last step was already done. Waits at most
    /// <paramref name="patience"/>; past it the state is still RUNNING.
    /// </summary>
    public async Task<JobState> CancelAsync(JobSnapshot job, string reason, TimeSpan patience, CancellationToken cancellationToken)
    {
        await board.CancelAsync(job.Id, reason, cancellationToken);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(patience);
        try
        {
            await foreach (var _ in board.ReadAsync(job.Id, job.LastSequence, bounded.Token))
            {
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A step longer than the patience: the job is still stopping and its state says RUNNING.
        }

        return (await board.FindAsync(job.Id, cancellationToken))?.State ?? JobState.Cancelled;
    }

    /// <summary>
    /// A Generate stream attaches to its job; when the last one goes, the job is cancelled: at once when its deadline
    /// passed or it has no client request id, else after <see cref="GeneratorOptions.ReattachGrace"/> unless a stream (the
    /// request sent again with its id) has attached again meanwhile.
    /// </summary>
    /// <param name="resumable">The request carries a client request id, by which its client can come back.</param>
    /// <param name="deadline">The call's deadline (UTC; <see cref="DateTime.MaxValue"/> for none).</param>
    /// <remarks>A stream closed because this generator stops, while the job goes on elsewhere, does not cancel it.</remarks>
    public Task<IAsyncDisposable> AttachCallerAsync(JobSnapshot job, bool resumable, DateTime deadline, CancellationToken cancellationToken) =>
        board.AttachStreamAsync(job.Id, () => OnLastDetachedAsync(job.Id, resumable, deadline), cancellationToken);

    private Task OnLastDetachedAsync(string jobId, bool resumable, DateTime deadline)
    {
        var grace = options.Value.ReattachGrace;
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return board.IsShared ? Task.CompletedTask : board.CancelAsync(jobId, "the generator is stopping and its client went away", CancellationToken.None);
        }

        if (!resumable || grace <= TimeSpan.Zero || deadline <= DateTime.UtcNow)
        {
            return board.CancelAsync(jobId, "the client went away (disconnected or deadline passed)", CancellationToken.None);
        }

        _ = CancelUnlessReattachedAsync(jobId, grace);
        return Task.CompletedTask;
    }

    /// <summary>Waits out the grace, then cancels the job unless a Generate stream attached to it again.</summary>
    private async Task CancelUnlessReattachedAsync(string jobId, TimeSpan grace)
    {
        try
        {
            await Task.Delay(grace, lifetime.ApplicationStopping);
            if (await board.AttachedStreamsAsync(jobId, CancellationToken.None) == 0)
            {
                await board.CancelAsync(jobId, $"the client went away and did not come back within {grace.TotalSeconds:0.#} s (Generator:ReattachGrace)", CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping: a shared board's job goes on elsewhere; this process's jobs are ended by its shutdown.
        }
        catch (LikenessException e) when (e.Kind == LikenessErrorKind.Unavailable)
        {
            // Redis is unreachable: the job goes on, and its claim and retention still bound it.
        }
    }

    private void EnsureAccepting()
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new LikenessException(LikenessErrorKind.Unavailable, "The generator is shutting down; send the job to another instance.");
        }
    }
}
