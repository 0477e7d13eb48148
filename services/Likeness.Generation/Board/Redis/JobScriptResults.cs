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

/// <summary>What <see cref="JobScripts.Take"/> gave this pod.</summary>
internal enum TakeResult
{
    /// <summary>No job waits.</summary>
    NoneWaiting,

    /// <summary>The next entry's job had ended while queued (cancelled); its entry is dropped, look again.</summary>
    AlreadyEnded,

    /// <summary>The job is this pod's now, as <see cref="TakeOutcome.Attempt"/>.</summary>
    Taken,
}

/// <summary>The decoded answer of <see cref="JobScripts.Take"/>.</summary>
internal readonly record struct TakeOutcome(TakeResult Result, string JobId, int Attempt);

/// <summary>What <see cref="JobScripts.Reclaim"/> found among the claims that lapsed.</summary>
internal enum ReclaimResult
{
    /// <summary>No lapsed claim from the cursor on; <see cref="ReclaimOutcome.Cursor"/> says where the scan goes on.</summary>
    NoneLapsed,

    /// <summary>The lapsed entry's job had already ended; its entry is dropped.</summary>
    AlreadyEnded,

    /// <summary>The job was started as often as <c>Cluster:MaxAttempts</c> allows and has now failed for good.</summary>
    FailedForGood,

    /// <summary>The job is this pod's now, to run again from the start as <see cref="ReclaimOutcome.Attempt"/>.</summary>
    TakenOver,
}

/// <summary>The decoded answer of <see cref="JobScripts.Reclaim"/>; <see cref="Why"/> says why the claim lapsed.</summary>
internal readonly record struct ReclaimOutcome(ReclaimResult Result, string Cursor, string JobId, int Attempt, string Why);

/// <summary>The decoded answer of <see cref="JobScripts.Renew"/>: whether the attempt still owns the job, and a cancel request seen (empty: none).</summary>
internal readonly record struct RenewOutcome(bool Owned, string Cancel);

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
/// decide on; an answer no decoder knows is a programming error and throws. (Admit, HandBack, Unbind and Attach answer
/// a number with one meaning each, documented on the script.)
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

    public static TakeOutcome Take(RedisResult result)
    {
        if (result.IsNull)
        {
            return new TakeOutcome(TakeResult.NoneWaiting, "", 0);
        }

        var parts = (RedisResult[])result!;
        var attempt = (int)parts[2];
        return new TakeOutcome(attempt > 0 ? TakeResult.Taken : TakeResult.AlreadyEnded, (string)parts[1]!, attempt);
    }

    public static ReclaimOutcome Reclaim(RedisResult result)
    {
        var parts = (RedisResult[])result!;
        var cursor = (string)parts[0]!;
        if (parts.Length == 1)
        {
            return new ReclaimOutcome(ReclaimResult.NoneLapsed, cursor, "", 0, "");
        }

        var attempt = (int)parts[3];
        var outcome = attempt switch { < 0 => ReclaimResult.FailedForGood, 0 => ReclaimResult.AlreadyEnded, _ => ReclaimResult.TakenOver };
        return new ReclaimOutcome(outcome, cursor, (string)parts[2]!, attempt, (string)parts[4]!);
    }

    public static RenewOutcome Renew(RedisResult result)
    {
        var parts = (RedisResult[])result!;
        return new RenewOutcome((int)parts[0] == 1, (string)parts[1]!);
    }

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
