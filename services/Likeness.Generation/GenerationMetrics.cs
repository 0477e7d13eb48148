using System.Diagnostics.Metrics;
using Likeness.Generation.Board;

namespace Likeness.Generation;

/// <summary>Generator metrics on the <c>Likeness.Generation</c> meter: queue depth, step time, jobs by outcome.</summary>
public sealed class GenerationMetrics
{
    public const string MeterName = "Likeness.Generation";

    private readonly Meter meter;
    private readonly Histogram<double> stepDuration;
    private readonly Counter<long> jobs;

    public GenerationMetrics(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(MeterName);
        stepDuration = meter.CreateHistogram<double>("likeness.generation.step.duration", "s", "Wall time of one denoising step.");
        jobs = meter.CreateCounter<long>("likeness.generation.jobs", "{job}", "Jobs that ended, by outcome.");
    }

    /// <summary>Reports the job board's waiting jobs (the whole cluster's, for a shared board) as the queue-depth gauge.</summary>
    public void ObserveQueue(IJobBoard board) =>
        meter.CreateObservableGauge("likeness.generation.queue.depth", () => board.WaitingJobs, "{job}", "Jobs waiting for a device.");

    public void Step(TimeSpan elapsed) => stepDuration.Record(elapsed.TotalSeconds);

    public void Ended(JobState state) => jobs.Add(1, new KeyValuePair<string, object?>("outcome", state.ToString().ToLowerInvariant()));
}
