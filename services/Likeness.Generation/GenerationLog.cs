using Microsoft.Extensions.Logging;

namespace Likeness.Generation;

/// <summary>
/// Every log event of the generation side, in one table: 200–209 the video model, 210–219 jobs, 220–229 the shared job
/// board. Ids are stable (dashboards and alerts key on them) and unique across Likeness (a test checks).
/// </summary>
internal static partial class GenerationLog
{
    [LoggerMessage(200, LogLevel.Information, "Video model {ModelId} loaded on {Device}")]
    public static partial void VideoModelLoaded(ILogger logger, string modelId, string device);

    [LoggerMessage(201, LogLevel.Warning, "The video model runs from an untrained, seeded initialisation ({ModelId}): its frames are noise-like patterns, not pictures")]
    public static partial void VideoModelUntrained(ILogger logger, string modelId);

    [LoggerMessage(210, LogLevel.Debug, "Job {JobId} started (attempt {Attempt}): {Frames} frames of {Width}x{Height}, {Steps} steps")]
    public static partial void JobStarting(ILogger logger, string jobId, int attempt, int frames, int width, int height, int steps);

    [LoggerMessage(211, LogLevel.Information, "Job {JobId} completed in {DurationMs} ms after {Steps} steps")]
    public static partial void JobCompleted(ILogger logger, string jobId, long durationMs, int steps);

    [LoggerMessage(212, LogLevel.Debug, "Job {JobId} failed; stack trace follows")]
    public static partial void JobFailureDetail(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(213, LogLevel.Information, "Job {JobId} cancelled after {DurationMs} ms at step {Steps}: {Reason}")]
    public static partial void JobCancelled(ILogger logger, string jobId, long durationMs, int steps, string reason);

    [LoggerMessage(214, LogLevel.Error, "Job {JobId} failed after {DurationMs} ms at step {Steps}: {Reason}")]
    public static partial void JobFailed(ILogger logger, string jobId, long durationMs, int steps, string reason);

    [LoggerMessage(215, LogLevel.Information, "Job {JobId} left this pod without ending here: {Reason}")]
    public static partial void JobRelinquished(ILogger logger, string jobId, string reason);

    [LoggerMessage(216, LogLevel.Information, "Jobs live in {Board}")]
    public static partial void JobBoardChosen(ILogger logger, string board);

    [LoggerMessage(220, LogLevel.Warning, "The job board (Redis) is unreachable; retrying: {Message}")]
    public static partial void RedisUnreachable(ILogger logger, string message);

    [LoggerMessage(221, LogLevel.Warning, "Job {JobId} taken over as attempt {Attempt}: {Why}")]
    public static partial void JobTakenOver(ILogger logger, string jobId, int attempt, string why);

    [LoggerMessage(222, LogLevel.Error, "Job {JobId} failed for good: {Why}")]
    public static partial void JobAbandoned(ILogger logger, string jobId, string why);

    [LoggerMessage(223, LogLevel.Warning, "Redis unreachable while running job {JobId}: {Message}")]
    public static partial void RunRedisUnreachable(ILogger logger, string jobId, string message);

    [LoggerMessage(224, LogLevel.Warning, "Job {JobId} handed back to run later: {Why}")]
    public static partial void JobPostponed(ILogger logger, string jobId, string why);
}
