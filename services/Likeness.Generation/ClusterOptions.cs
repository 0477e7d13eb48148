namespace Likeness.Generation;

/// <summary>
/// How generator pods share jobs through Redis (used whenever <c>Redis:Configuration</c> is set). Bound from the
/// <c>Cluster</c> section. <c>Generator:MaxQueuedJobs</c> then bounds the jobs waiting across the whole cluster.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>Prefix of every key and channel of the shared job board. Default <c>likeness:jobs:</c>.</summary>
    public string KeyPrefix { get; set; } = "likeness:jobs:";

    /// <summary>Name of the Redis Streams consumer group the generator pods form. Default <c>generators</c>.</summary>
    public string ConsumerGroup { get; set; } = "generators";

    /// <summary>This pod's consumer name in the group; empty: the host name and process id (in Kubernetes, the pod name).</summary>
    public string PodName { get; set; } = "";

    /// <summary>
    /// A running job whose pod has not renewed its claim for this long is taken over by another pod and run again
    /// from the start with the same seed. The pod renews every third of it. Default 30 seconds.
    /// </summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Starts a job may have after pods stopped while running it (a hand-back at shutdown does not count); when the
    /// pod of the last one stops too, the job ends FAILED with the reason. Default 2.
    /// </summary>
    public int MaxAttempts { get; set; } = 2;

    /// <summary>
    /// How often an idle pod looks at the queue, and a watcher at its job, without a notification (Redis pub/sub wakes
    /// them at once; this covers a lost message or a reconnect). Default 500 ms.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long an unfinished job's keys live (a safety net should every pod go away). Default 1 day.</summary>
    public TimeSpan UnfinishedJobTimeToLive { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The consumer name: <see cref="PodName"/>, or the host name and process id.</summary>
    public string Consumer => PodName.Length > 0 ? PodName : $"{Environment.MachineName}-{Environment.ProcessId}";
}
