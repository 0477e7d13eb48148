using Likeness.Generation.Identities;
using Likeness.Generation.Jobs;
using Likeness.Generation.Requests;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Likeness.Generation.Cluster;

/// <summary>
/// One attempt at a shared job on this pod. Its events are appended fenced by the attempt number, so an attempt that
/// lost its claim (a long pause, a partition) writes nothing more; a timer renews the claim every third of the claim
/// timeout and picks up a cancel whose notification was lost.
/// </summary>
internal sealed partial class RedisJobRun : IJobRun, IDisposable
{
    private readonly RedisJobBoard board;
    private readonly CancellationTokenSource cancellation = new();
    private readonly Lock gate = new();
    private ITimer? renewal;
    private string reason = "";
    private volatile bool relinquished;
    private volatile bool ended;
    private bool disposed;

    public RedisJobRun(RedisJobBoard board, string id, string entry, int attempt, string restartReason)
    {
        this.board = board;
        Id = id;
        Entry = entry;
        Attempt = attempt;
        RestartReason = restartReason;
    }

    public string Id { get; }

    /// <summary>The job's entry in the queue stream.</summary>
    public string Entry { get; }

    public int Attempt { get; }

    public string RestartReason { get; }

    public GenerationRequest Request { get; private set; } = null!;

    public IReadOnlyList<LoadedCharacter> Characters { get; private set; } = [];

    public ulong Seed { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public TimeSpan LoadIdentitiesTime { get; private set; }

    public string Owner { get; private set; } = "";

    public CancellationToken CancellationToken => cancellation.Token;

    public string Reason
    {
        get
        {
            lock (gate)
            {
                return reason;
            }
        }
    }

    public bool Relinquished => relinquished;

    /// <summary>Fills in what the attempt runs and starts renewing its claim.</summary>
    public void Start(GenerationRequest request, IReadOnlyList<LoadedCharacter> characters, ulong seed, DateTimeOffset createdAt, TimeSpan loadTime, string owner)
    {
        Request = request;
        Characters = characters;
        Seed = seed;
        CreatedAt = createdAt;
        LoadIdentitiesTime = loadTime;
        Owner = owner;
        renewal = board.Time.CreateTimer(_ => Renew(), null, board.RenewEvery, board.RenewEvery);
    }

    public void RequestCancel(string why)
    {
        lock (gate)
        {
            if (disposed || cancellation.IsCancellationRequested)
            {
                return;
            }

            reason = why;
            cancellation.Cancel();
        }
    }

    public void Publish(JobEvent jobEvent)
    {
        if (ended || relinquished)
        {
            return;
        }

        if (board.Append(this, jobEvent) == -1)
        {
            Relinquish("another pod has taken the job over");
        }
        else if (jobEvent is CompletedEvent or EndedEvent)
        {
            ended = true;
        }
    }

    public bool TryHandBack(string why)
    {
        try
        {
            if (!board.HandBack(this))
            {
                return false;
            }
        }
        catch (RedisException)
        {
            // Unreachable: the claim will lapse and another pod takes the job over after the claim timeout.
        }

        Relinquish($"{why}; the job goes on on another pod");
        return true;
    }

    public void EndRun()
    {
        renewal?.Dispose();
        board.Ended(this);
        Dispose();
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
        }

        cancellation.Dispose();
    }

    private void Relinquish(string why)
    {
        relinquished = true;
        RequestCancel(why);
    }

    private void Renew()
    {
        try
        {
            if (!board.Renew(this, out var cancel))
            {
                if (!ended)
                {
                    Relinquish("another pod has taken the job over");
                }

                return;
            }

            if (cancel.Length > 0)
            {
                RequestCancel(cancel);
            }
        }
        catch (RedisException e)
        {
            RenewFailed(board.Logger, Id, e.Message);
        }
        catch (ObjectDisposedException)
        {
            // The run ended while renewing.
        }
    }

    [LoggerMessage(223, LogLevel.Warning, "Could not renew the claim on job {JobId}: {Message}")]
    private static partial void RenewFailed(ILogger logger, string jobId, string message);
}
