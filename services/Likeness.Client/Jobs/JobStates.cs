using Likeness.Contracts.Generation.V1;

namespace Likeness.Client.Jobs;

/// <summary>Job states as the command line and the demo print them.</summary>
public static class JobStates
{
    /// <summary>"queued", "running", "completed", "cancelled", "failed".</summary>
    public static string Name(JobState state) => state switch
    {
        JobState.Queued => "queued",
        JobState.Running => "running",
        JobState.Completed => "completed",
        JobState.Cancelled => "cancelled",
        JobState.Failed => "failed",
        _ => "unknown",
    };
}
