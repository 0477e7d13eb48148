using StackExchange.Redis;

namespace Likeness.Generation.Board.Redis;

/// <summary>What <see cref="JobScripts.Append"/> did with a running attempt's event.</summary>
internal enum AppendResult
{
    /// <summary>Written (or written before: a retry after a lost reply), at <see cref="AppendOutcome.Sequence"/>.</summary>
    Appended,

    /// <summary>Another attempt owns the job: this one lost its claim and must stop writing.</summary>
    Superseded,

    /// <summary>The job is no longer running: a takeover failed it for good while this attempt was paused; nothing written.</summary>
    NotRunning,

    /// <summary>The job's records are gone from Redis (it restarted without persistence, or they were deleted).</summary>
    Gone,
}

/// <summary>The decoded answer of <see cref="JobScripts.Append"/>; <see cref="Sequence"/> is 0 unless appended.</summary>
internal readonly record struct AppendOutcome(AppendResult Result, long Sequence);

/// <summary>What <see cref="JobScripts.Cancel"/> found.</summary>
internal enum CancelResult
{
    /// <summary>The job was queued and has now ended CANCELLED.</summary>
    EndedNow,

    /// <summary>The job is running: it is flagged and its pod told; it ends within a denoising step.</summary>
    Flagged,

    /// <summary>The job had already ended; nothing changed.</summary>
    AlreadyEnded,

    /// <summary>No such job.</summary>
    Missing,
}

/// <summary>What <see cref="JobScripts.Bind"/> found for a client request id.</summary>
internal enum BindResult
{
    /// <summary>The id was free (or its job was cancelled, failed or forgotten): now bound to the new job id, to admit.</summary>
    New,

    /// <summary>Bound to a job made with the same parameters: attach to it (it may still be being admitted).</summary>
    Bound,

    /// <summary>Bound to a job made with other parameters: ALREADY_EXISTS.</summary>
    Conflict,
}

/// <summary>
/// Each script's answer decoded in one place, so that every outcome the Lua can return is a named value the C# must
/// decide on; an answer no decoder knows is a programming error and throws.
/// </summary>
internal static class JobScriptResults
{
    /// <exception cref="InvalidDataException">An answer <see cref="JobScripts.Append"/> never gives.</exception>
    public static AppendOutcome Append(RedisResult result) => (long)result switch
    {
        > 0 and var sequence => new AppendOutcome(AppendResult.Appended, sequence),
        -1 => new AppendOutcome(AppendResult.Superseded, 0),
        -2 => new AppendOutcome(AppendResult.NotRunning, 0),
        -3 => new AppendOutcome(AppendResult.Gone, 0),
        var other => throw new InvalidDataException($"The Append script answered {other}."),
    };

    /// <exception cref="InvalidDataException">An answer <see cref="JobScripts.Cancel"/> never gives.</exception>
    public static CancelResult Cancel(RedisResult result) => (string?)result switch
    {
        "EndedNow" => CancelResult.EndedNow,
        "Running" => CancelResult.Flagged,
        "Missing" => CancelResult.Missing,
        "Completed" or "Cancelled" or "Failed" => CancelResult.AlreadyEnded,
        var other => throw new InvalidDataException($"The Cancel script answered {other}."),
    };

    /// <exception cref="InvalidDataException">An answer <see cref="JobScripts.Bind"/> never gives.</exception>
    public static (BindResult Result, string JobId) Bind(RedisResult result)
    {
        var parts = (RedisResult[])result!;
        return ((string?)parts[0] switch
        {
            "new" => BindResult.New,
            "bound" => BindResult.Bound,
            "conflict" => BindResult.Conflict,
            var other => throw new InvalidDataException($"The Bind script answered {other}."),
        }, (string)parts[1]!);
    }
}
