using Likeness.Generation.Identities;
using Likeness.Generation.Requests;
using Likeness.Identity.Store;

namespace Likeness.Generation.Board.Redis;

/// <summary>
/// One attempt at a shared job on this pod. Its events are appended fenced by the attempt number, so an attempt that
/// lost its claim (a long pause, a partition) writes nothing more; a timer renews the claim every third of the claim
/// timeout and picks up a cancel whose notification was lost.
/// </summary>
internal sealed class RedisJobRun : IJobRun, IDisposable
{
    private readonly RedisJobDevice device;
    private readonly CancellationTokenSource cancellation = new();
    private readonly Lock gate = new();
    private ITimer? renewal;
    private string reason = "";
    private volatile bool relinquished;
    private volatile bool ended;
    private bool disposed;
    private int published;

    public RedisJobRun(RedisJobDevice device, string id, int attempt, string restartReason)
    {
        this.device = device;
        Id = id;
        Attempt = attempt;
        RestartReason = restartReason;
    }

    public string Id { get; }

    public int Attempt { get; }

    public string RestartReason { get; internal set; }

    public string Generator => device.Consumer;

    public GenerationRequest Request { get; private set; } = null!;

    public IReadOnlyList<LoadedCharacter> Characters { get; private set; } = [];

    public IReadOnlyList<byte[]> ExtensionFrames { get; private set; } = [];

    public FinishedChunks Finished { get; private set; } = FinishedChunks.None;

    public ulong Seed { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public TimeSpan LoadIdentitiesTime { get; private set; }

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

    /// <summary>Names the event being appended, <c>attempt:index</c>, so that a retry after a lost reply is not appended twice.</summary>
    internal string EventToken => $"{Attempt}:{published}";

    /// <summary>Fills in what the attempt runs and starts renewing its claim.</summary>
    public void Start(
        GenerationRequest request, IReadOnlyList<LoadedCharacter> characters, IReadOnlyList<byte[]> extensionFrames, FinishedChunks finished,
        ulong seed, DateTimeOffset createdAt, TimeSpan loadTime)
    {
        Request = request;
        Characters = characters;
        ExtensionFrames = extensionFrames;
        Finished = finished;
        Seed = seed;
        CreatedAt = createdAt;
        LoadIdentitiesTime = loadTime;
        renewal = device.Time.CreateTimer(_ => _ = RenewAsync(), null, device.RenewEvery, device.RenewEvery);
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

        published++;

        switch (AppendPatiently(jobEvent)?.Result)
        {
            case AppendResult.Appended:
                ended = jobEvent is CompletedEvent or EndedEvent;
                break;
            case AppendResult.Superseded:
                Relinquish("another pod has taken the job over");
                break;
            case AppendResult.NotRunning:
                // It failed for good on a takeover this attempt did not see (a long pause): nothing more is written.
                Relinquish("the job has already ended on the job board");
                break;
            case AppendResult.Gone:
                Relinquish("the job's records are gone from Redis (it restarted without persistence, or they were deleted)");
                break;
            case null:
                Relinquish("Redis stayed unreachable; another pod takes the job over once its claim lapses");
                break;
        }
    }

    /// <summary>
    /// Appends the event, retrying while Redis is unreachable for up to half the claim timeout (the device waits: a job
    /// whose log cannot be written cannot be followed); null when it stayed unreachable.
    /// </summary>
    private AppendOutcome? AppendPatiently(JobEvent jobEvent)
    {
        var deadline = device.Time.GetUtcNow() + (device.RenewEvery * 1.5);
        while (true)
        {
            try
            {
                return device.Append(this, jobEvent);
            }
            catch (Exception e) when (RedisFaults.IsTransient(e))
            {
                if (device.Time.GetUtcNow() > deadline || cancellation.IsCancellationRequested && jobEvent is not (CompletedEvent or EndedEvent))
                {
                    GenerationLog.RunRedisUnreachable(device.Logger, Id, e.Message);
                    return null;
                }

                Thread.Sleep(100);
            }
        }
    }

    public bool TryHandBack(string why)
    {
        try
        {
            if (!device.HandBack(this))
            {
                return false;
            }
        }
        catch (Exception e) when (RedisFaults.IsTransient(e))
        {
            // Unreachable: the claim will lapse and another pod takes the job over after the claim timeout.
        }

        Relinquish($"{why}; the job goes on on another pod");
        return true;
    }

    public void EndRun()
    {
        renewal?.Dispose();
        device.Ended(this);
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
        renewal?.Dispose(); // a renewal now would take back the claim just given up
        RequestCancel(why);
    }

    private async Task RenewAsync()
    {
        try
        {
            var (owned, cancel) = await device.RenewAsync(this);
            if (!owned)
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
        catch (Exception e) when (RedisFaults.IsTransient(e))
        {
            GenerationLog.RunRedisUnreachable(device.Logger, Id, e.Message);
        }
        catch (ObjectDisposedException)
        {
            // The run ended while renewing.
        }
    }
}
