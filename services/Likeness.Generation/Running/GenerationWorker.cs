using Likeness.Generation.Board;
using Likeness.Generation.Hosting;
using Likeness.Identity.Hosting;
using Likeness.Model.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Likeness.Generation.Running;

/// <summary>
/// This pod's consumer of the job board: takes the next job when the device is free and runs it, one at a time, all on
/// one long-lived device thread (native allocators keep per-thread caches; a thread per job would grow them job after
/// job), trimming the native heap after each. When the host starts stopping it takes no more jobs (a board of this
/// process alone cancels its waiting ones) and the running one may finish within
/// <see cref="GeneratorOptions.DrainTimeout"/>; past it, a shared board's job is handed back to run on another pod, and
/// a local one ends cleanly as cancelled, so its streams close with a final event before the server stops.
/// </summary>
public sealed class GenerationWorker(
    IJobBoard board,
    VideoModelHost videoModel,
    IdentityModelHost identityModel,
    GenerationMetrics metrics,
    IHostApplicationLifetime lifetime,
    IOptions<GeneratorOptions> options,
    TimeProvider time,
    ILogger<GenerationWorker> logger) : BackgroundService
{
    private const string ShuttingDown = "the generator is shutting down";
    private IJobRun? running;
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
            IJobRun job;
            try
            {
                job = board.Take(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            running = job;
            try
            {
                Run(runner, job, time.GetUtcNow());
            }
            finally
            {
                running = null;
                job.EndRun();
            }

            TorchRuntime.ReleaseFreedMemory();
        }
    }

    private void BeginDrain()
    {
        board.StopTaking(ShuttingDown);
        drainDeadline = time.CreateTimer(_ => StopRunning(), null, options.Value.DrainTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The running job goes on elsewhere when the board is shared, else it is cancelled.</summary>
    private void StopRunning()
    {
        if (running is { } job && !job.TryHandBack(ShuttingDown))
        {
            job.RequestCancel(ShuttingDown);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        board.StopTaking(ShuttingDown);

        // The running job may finish while the host's shutdown timeout lasts; past it, it is stopped.
        using var expired = cancellationToken.Register(StopRunning);
        await base.StopAsync(CancellationToken.None);
        drainDeadline?.Dispose();
    }

    private void Run(JobRunner runner, IJobRun job, DateTimeOffset dequeued)
    {
        if (job.CancellationToken.IsCancellationRequested)
        {
            job.Publish(new EndedEvent(JobState.Cancelled, job.Reason));
        }
        else
        {
            try
            {
                GenerationLog.JobStarting(logger, job.Id, job.Attempt, job.Request.Frames, job.Request.Width, job.Request.Height, job.Request.Steps);
                runner.Run(job, dequeued);
            }
            catch (OperationCanceledException) when (job.Relinquished)
            {
                GenerationLog.JobRelinquished(logger, job.Id, job.Reason);
            }
            catch (OperationCanceledException)
            {
                job.Publish(new EndedEvent(JobState.Cancelled, job.Reason.Length > 0 ? job.Reason : "cancelled"));
            }
            catch (Exception e)
            {
                // The outcome line (JobOutcomes) carries the message; the stack trace is for debugging only.
                GenerationLog.JobFailureDetail(logger, job.Id, e);
                job.Publish(new EndedEvent(JobState.Failed, $"the job failed: {e.Message}"));
            }
        }
    }
}
