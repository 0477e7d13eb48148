using Microsoft.Extensions.Logging;

namespace Likeness.Generation.Jobs;

/// <summary>
/// Records how each job ended, exactly once whoever ended it (the worker, a cancel while queued, shutdown): the
/// <c>likeness.generation.jobs</c> counter and one log line with the job id, its outcome, how long it lived and why.
/// </summary>
public sealed partial class JobOutcomes(GenerationMetrics metrics, ILogger<JobOutcomes> logger)
{
    /// <summary>Called once when a job reaches its final state, by whoever ended it.</summary>
    public void Record(JobSnapshot job)
    {
        metrics.Ended(job.State);
        var lived = (long)((job.FinishedAt ?? DateTimeOffset.UtcNow) - job.CreatedAt).TotalMilliseconds;
        switch (job.State)
        {
            case JobState.Completed:
                Completed(logger, job.Id, lived, job.Step);
                break;
            case JobState.Failed:
                Failed(logger, job.Id, lived, job.Step, job.Reason);
                break;
            default:
                Cancelled(logger, job.Id, lived, job.Step, job.Reason);
                break;
        }
    }

    [LoggerMessage(211, LogLevel.Information, "Job {JobId} completed in {DurationMs} ms after {Steps} steps")]
    private static partial void Completed(ILogger logger, string jobId, long durationMs, int steps);

    [LoggerMessage(213, LogLevel.Information, "Job {JobId} cancelled after {DurationMs} ms at step {Steps}: {Reason}")]
    private static partial void Cancelled(ILogger logger, string jobId, long durationMs, int steps, string reason);

    [LoggerMessage(214, LogLevel.Error, "Job {JobId} failed after {DurationMs} ms at step {Steps}: {Reason}")]
    private static partial void Failed(ILogger logger, string jobId, long durationMs, int steps, string reason);
}
