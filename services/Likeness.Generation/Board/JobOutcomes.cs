using Microsoft.Extensions.Logging;

namespace Likeness.Generation.Board;

/// <summary>
/// Records how each job ended, exactly once whoever ended it (the worker, a cancel while queued, shutdown): the
/// <c>likeness.generation.jobs</c> counter and one log line with the job id, its outcome, how long it lived and why.
/// </summary>
public sealed class JobOutcomes(GenerationMetrics metrics, TimeProvider time, ILogger<JobOutcomes> logger)
{
    /// <summary>Called once when a job reaches its final state, by whoever ended it.</summary>
    public void Record(JobSnapshot job)
    {
        metrics.Ended(job.State);
        var lived = (long)((job.FinishedAt ?? time.GetUtcNow()) - job.CreatedAt).TotalMilliseconds;
        switch (job.State)
        {
            case JobState.Completed:
                GenerationLog.JobCompleted(logger, job.Id, lived, job.Step);
                break;
            case JobState.Failed:
                GenerationLog.JobFailed(logger, job.Id, lived, job.Step, job.Reason);
                break;
            default:
                GenerationLog.JobCancelled(logger, job.Id, lived, job.Step, job.Reason);
                break;
        }
    }
}
