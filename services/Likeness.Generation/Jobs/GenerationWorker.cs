using Likeness.Generation.Hosting;
using Likeness.Identity.Hosting;
using Likeness.Model.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.Generation.Jobs;

/// <summary>
/// The one consumer of the queue: runs jobs on the device one at a time, all on one long-lived device thread (native
/// allocators keep per-thread caches; a thread per job would grow them job after job), trimming the native heap after
/// each. When the host starts stopping, waiting jobs end as cancelled at once and the running one may finish within
/// <see cref="GeneratorOptions.DrainTimeout"/>; past it, it ends cleanly as cancelled, so its streams close with a
/// final event before the server stops.
/// </summary>
public sealed partial class GenerationWorker(
    GenerationQueue queue,
    VideoModelHost videoModel,
    IdentityModelHost identityModel,
    GenerationMetrics metrics,
    IHostApplicationLifetime lifetime,
    IOptions<GeneratorOptions> options,
    TimeProvider time,
    ILogger<GenerationWorker> logger) : BackgroundService
{
    private const string ShuttingDown = "the generator is shutting down";
    private GenerationJob? running;
    private ITimer? drainDeadline;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lifetime.ApplicationStopping.Register(BeginDrain);
        var runner = new JobRunner(await videoModel.WhenLoaded.WaitAsync(stoppingToken), await identityModel.WhenLoaded.WaitAsync(stoppingToken), metrics);
        await Task.Factory.StartNew(() => DeviceLoop(runner, stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void DeviceLoop(JobRunner runner, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            GenerationJob job;
            try
            {
                job = queue.Take(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            running = job;
            Run(runner, job, time.GetUtcNow());
            running = null;
            TorchRuntime.ReleaseFreedMemory();
        }
    }

    private void BeginDrain()
    {
        CancelWaiting();
        drainDeadline = time.CreateTimer(_ => running?.RequestCancel(ShuttingDown), null, options.Value.DrainTimeout, Timeout.InfiniteTimeSpan);
    }

    private void CancelWaiting()
    {
        foreach (var job in queue.Drain())
        {
            job.RequestCancel(ShuttingDown);
            job.Publish(new EndedEvent(JobState.Cancelled, ShuttingDown));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        CancelWaiting();

        // The running job may finish while the host's shutdown timeout lasts; past it, it is cancelled.
        using var expired = cancellationToken.Register(() => running?.RequestCancel(ShuttingDown));
        await base.StopAsync(CancellationToken.None);
        drainDeadline?.Dispose();
    }

    private void Run(JobRunner runner, GenerationJob job, DateTimeOffset dequeued)
    {
        if (job.CancellationToken.IsCancellationRequested)
        {
            job.Publish(new EndedEvent(JobState.Cancelled, job.Reason));
        }
        else
        {
            try
            {
                JobStarting(logger, job.Id, job.Request.Frames, job.Request.Width, job.Request.Height, job.Request.Steps);
                runner.Run(job, dequeued);
            }
            catch (OperationCanceledException)
            {
                job.Publish(new EndedEvent(JobState.Cancelled, job.Reason.Length > 0 ? job.Reason : "cancelled"));
            }
            catch (Exception e)
            {
                // The outcome line (JobOutcomes) carries the message; the stack trace is for debugging only.
                JobFailureDetail(logger, job.Id, e);
                job.Publish(new EndedEvent(JobState.Failed, $"the job failed: {e.Message}"));
            }
        }
    }

    [LoggerMessage(210, LogLevel.Debug, "Job {JobId} started: {Frames} frames of {Width}x{Height}, {Steps} steps")]
    private static partial void JobStarting(ILogger logger, string jobId, int frames, int width, int height, int steps);

    [LoggerMessage(212, LogLevel.Debug, "Job {JobId} failed; stack trace follows")]
    private static partial void JobFailureDetail(ILogger logger, string jobId, Exception exception);
}
