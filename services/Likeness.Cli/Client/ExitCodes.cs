using Grpc.Core;
using Likeness.Contracts.Generation.V1;

namespace Likeness.Cli.Client;

/// <summary>What the client commands' exit codes mean; scripts branch on these, so they never change meaning.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The server failed (INTERNAL, DATA_LOSS, …) or the job failed.</summary>
    public const int Failed = 1;

    /// <summary>The command line was not understood.</summary>
    public const int Usage = 2;

    /// <summary>The input was rejected: INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE, or a local file that cannot be read.</summary>
    public const int Rejected = 3;

    /// <summary>NOT_FOUND: no such identity or job.</summary>
    public const int NotFound = 4;

    /// <summary>Try again later: UNAVAILABLE (not reachable, starting, draining), RESOURCE_EXHAUSTED (queue full), DEADLINE_EXCEEDED.</summary>
    public const int Unavailable = 5;

    /// <summary>The job was cancelled by someone else (CancelJob, or the server shutting down).</summary>
    public const int Cancelled = 6;

    /// <summary>Not allowed: UNAUTHENTICATED (no token, or one the service refused) or PERMISSION_DENIED (another principal's job).</summary>
    public const int NotAllowed = 7;

    /// <summary>Ctrl-C: 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>What a followed job's final state exits with.</summary>
    public static int From(JobState state) => state switch
    {
        JobState.Completed => Ok,
        JobState.Cancelled => Cancelled,
        _ => Failed,
    };

    public static int From(StatusCode status) => status switch
    {
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange or StatusCode.AlreadyExists => Rejected,
        StatusCode.NotFound => NotFound,
        StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded => Unavailable,
        StatusCode.Cancelled => Cancelled,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => NotAllowed,
        _ => Failed,
    };
}
