using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;

namespace Likeness.Testing.Faults;

/// <summary>What a fault run counted and measured; safe to update from every client task at once.</summary>
public sealed class FaultReport
{
    private const int MaxProblems = 20;
    private readonly ConcurrentDictionary<string, long> requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Rpc, StatusCode Status), long> errors = new();
    private readonly ConcurrentQueue<string> problems = new();
    private readonly ConcurrentDictionary<string, byte> acceptedJobs = new(StringComparer.Ordinal);
    private readonly List<TimeSpan> recoveries = [];
    private readonly List<int> generatorExitCodes = [];
    private long corruptedTokens, tokenChecks, jobsCompleted, jobsCancelled, jobsFailed, jobsDropped, jobsResumed, jobsLost;
    private readonly ConcurrentDictionary<string, string> lostWithRedis = new(StringComparer.Ordinal);

    public FaultReport(FaultSettings settings) => Settings = settings;

    public FaultSettings Settings { get; }

    public TimeSpan Elapsed { get; internal set; }

    public IReadOnlyDictionary<string, long> Requests => requests;

    public IReadOnlyDictionary<(string Rpc, StatusCode Status), long> Errors => errors;

    /// <summary>The first few corrupted answers and lost jobs, described.</summary>
    public IReadOnlyCollection<string> Problems => problems;

    /// <summary>Answers whose identity id, shape or token bytes differ from the first encode of the same references.</summary>
    public long CorruptedTokens => Interlocked.Read(ref corruptedTokens);

    /// <summary>Answers checked byte for byte against the first encode (GetIdentity with tokens) or by id (EncodeIdentity).</summary>
    public long TokenChecks => Interlocked.Read(ref tokenChecks);

    public long JobsAccepted => acceptedJobs.Count;

    public IReadOnlyCollection<string> AcceptedJobIds => (IReadOnlyCollection<string>)acceptedJobs.Keys;

    public long JobsCompleted => Interlocked.Read(ref jobsCompleted);

    /// <summary>Jobs whose stream ended with a CANCELLED <c>ended</c> event (shutdown drain, or a dropped client's job seen through WatchJob).</summary>
    public long JobsCancelled => Interlocked.Read(ref jobsCancelled);

    public long JobsFailed => Interlocked.Read(ref jobsFailed);

    /// <summary>Generate calls the client walked away from after the first step.</summary>
    public long JobsDropped => Interlocked.Read(ref jobsDropped);

    /// <summary>Jobs whose stream broke without a final event but WatchJob followed to their end.</summary>
    public long JobsResumed => Interlocked.Read(ref jobsResumed);

    /// <summary>Accepted jobs whose stream ended without a final event and that neither WatchJob nor GetJob could find.</summary>
    public long JobsLost => Interlocked.Read(ref jobsLost);

    /// <summary>
    /// Jobs whose records went with a Redis that restarted without persistence (jobs live in Redis, shared by every
    /// generator): their streams end NOT_FOUND saying so. Not counted as lost; docs/cluster.md asks for persistence.
    /// </summary>
    public IReadOnlyCollection<string> JobsLostWithRedis => (IReadOnlyCollection<string>)lostWithRedis.Keys;

    public int RedisKills { get; internal set; }

    public int GeneratorRestarts => generatorExitCodes.Count;

    public IReadOnlyList<int> GeneratorExitCodes => generatorExitCodes;

    /// <summary>Per Redis restart: from Redis answering again to the first successful EncodeIdentity.</summary>
    public IReadOnlyList<TimeSpan> Recoveries
    {
        get
        {
            lock (recoveries)
            {
                return [.. recoveries];
            }
        }
    }

    /// <summary>Redis restarts after which no encode succeeded before the run ended.</summary>
    public int UnrecoveredRedisRestarts { get; internal set; }

    public long EncoderRssStart { get; internal set; }

    public long EncoderRssEnd { get; internal set; }

    /// <summary>The generator's longest-lived process: RSS after warm-up and at its end.</summary>
    public long GeneratorRssStart { get; internal set; }

    public long GeneratorRssEnd { get; internal set; }

    public TimeSpan GeneratorRssSpan { get; internal set; }

    /// <summary><c>Could not initialize NNPACK!</c> lines in either service's output.</summary>
    public int NnpackLines { get; internal set; }

    /// <summary>Accepted job ids that the generators' logs did not end with exactly one outcome line.</summary>
    public int JobsWithoutOneOutcomeLine { get; internal set; }

    /// <summary>Service processes that exited without being told to (a crash); the run stops at the first.</summary>
    public int UnexpectedExits { get; internal set; }

    /// <summary>The run was ended early by Ctrl-C or SIGTERM; the services were not checked after it.</summary>
    public bool Interrupted { get; internal set; }

    /// <summary>Both services answered health SERVING, an encode and a generation after the last fault.</summary>
    public bool ServingAtEnd { get; internal set; }

    internal void Request(string rpc) => requests.AddOrUpdate(rpc, 1, (_, n) => n + 1);

    internal void Error(string rpc, StatusCode status) => errors.AddOrUpdate((rpc, status), 1, (_, n) => n + 1);

    internal void TokenCheck() => Interlocked.Increment(ref tokenChecks);

    internal void Corrupted(string what)
    {
        Interlocked.Increment(ref corruptedTokens);
        Problem($"corrupted: {what}");
    }

    internal void Accepted(string jobId) => acceptedJobs.TryAdd(jobId, 0);

    internal void Completed() => Interlocked.Increment(ref jobsCompleted);

    internal void Cancelled() => Interlocked.Increment(ref jobsCancelled);

    internal void Failed(string what)
    {
        Interlocked.Increment(ref jobsFailed);
        Problem($"failed: {what}");
    }

    internal void Dropped() => Interlocked.Increment(ref jobsDropped);

    internal void Resumed() => Interlocked.Increment(ref jobsResumed);

    internal void LostWithRedis(string jobId) => lostWithRedis.TryAdd(jobId, jobId);

    internal void Lost(string what)
    {
        Interlocked.Increment(ref jobsLost);
        Problem($"lost: {what}");
    }

    internal void Recovered(TimeSpan time)
    {
        lock (recoveries)
        {
            recoveries.Add(time);
        }
    }

    internal void GeneratorExited(int code)
    {
        lock (generatorExitCodes)
        {
            generatorExitCodes.Add(code);
        }
    }

    internal void Problem(string what)
    {
        if (problems.Count < MaxProblems)
        {
            problems.Enqueue(what);
        }
    }

    /// <summary>Statuses the services must never answer, whatever the fault: INTERNAL and UNKNOWN.</summary>
    public long UnexpectedStatuses => errors.Where(e => e.Key.Status is StatusCode.Internal or StatusCode.Unknown).Sum(e => e.Value);

    /// <summary>RSS targets apply to runs long enough for warm-up not to dominate.</summary>
    public bool RssChecked => Settings.Duration >= TimeSpan.FromMinutes(5);

    public static double Growth(long start, long end) => start == 0 ? 0 : (double)(end - start) / start;

    /// <summary>Every missed target, described; empty when the run passed.</summary>
    public IReadOnlyList<string> MissedTargets()
    {
        var missed = new List<string>();
        if (CorruptedTokens > 0)
        {
            missed.Add($"{CorruptedTokens} corrupted token answer(s) (target 0)");
        }

        if (Settings.RedisPersistence && JobsLostWithRedis.Count > 0)
        {
            missed.Add($"{JobsLostWithRedis.Count} job(s) gone with Redis despite its append-only file (target 0)");
        }

        if (JobsLost > 0)
        {
            missed.Add($"{JobsLost} job(s) lost (target 0)");
        }

        var slow = Recoveries.Where(r => r > Settings.RecoveryTarget).ToList();
        if (slow.Count > 0 || UnrecoveredRedisRestarts > 0)
        {
            missed.Add($"recovery after Redis returned: {slow.Count} slower than {Settings.RecoveryTarget.TotalSeconds:0.#} s, {UnrecoveredRedisRestarts} never recovered");
        }

        if (UnexpectedStatuses > 0)
        {
            missed.Add($"{UnexpectedStatuses} INTERNAL/UNKNOWN answer(s) (target 0)");
        }

        if (GeneratorExitCodes.Any(c => c != 0))
        {
            missed.Add($"the generator exited {string.Join(", ", GeneratorExitCodes)} on SIGTERM (target 0)");
        }

        if (UnexpectedExits > 0)
        {
            missed.Add($"{UnexpectedExits} service process(es) exited without being told to");
        }

        if (Interrupted)
        {
            missed.Add("the run was interrupted (Ctrl-C or SIGTERM) before its end");
        }
        else if (!ServingAtEnd)
        {
            missed.Add("the services were not serving after the last fault");
        }

        if (NnpackLines > 0)
        {
            missed.Add($"{NnpackLines} NNPACK line(s) in the services' output (target 0)");
        }

        if (JobsWithoutOneOutcomeLine > 0)
        {
            missed.Add($"{JobsWithoutOneOutcomeLine} accepted job(s) without exactly one outcome log line");
        }

        if (RssChecked && Growth(EncoderRssStart, EncoderRssEnd) > Settings.RssGrowthLimit)
        {
            missed.Add($"encoder RSS grew {Growth(EncoderRssStart, EncoderRssEnd):P0} (limit {Settings.RssGrowthLimit:P0})");
        }

        if (RssChecked && GeneratorRssSpan >= TimeSpan.FromMinutes(5) && Growth(GeneratorRssStart, GeneratorRssEnd) > Settings.RssGrowthLimit)
        {
            missed.Add($"generator RSS grew {Growth(GeneratorRssStart, GeneratorRssEnd):P0} over {GeneratorRssSpan.TotalMinutes:0} min (limit {Settings.RssGrowthLimit:P0})");
        }

        return missed;
    }

    /// <summary>The summary as (figure, value, target) rows, for a table.</summary>
    public IReadOnlyList<(string Figure, string Value, string Target)> Rows()
    {
        static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
        var rows = new List<(string, string, string)>
        {
            ("duration", $"{Elapsed.TotalSeconds:0} s, {Settings.Clients} clients", ""),
            ("requests", $"{Requests.Values.Sum()} ({string.Join(", ", Requests.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"))})", ""),
        };
        foreach (var group in Errors.GroupBy(e => e.Key.Status).OrderByDescending(g => g.Sum(e => e.Value)))
        {
            rows.Add(($"errors {group.Key}", $"{group.Sum(e => e.Value)} ({string.Join(", ", group.OrderBy(e => e.Key.Rpc, StringComparer.Ordinal).Select(e => $"{e.Key.Rpc} {e.Value}"))})",
                group.Key is StatusCode.Internal or StatusCode.Unknown ? "0" : ""));
        }

        var recoveries = Recoveries;
        rows.AddRange(
        [
            ("Redis kills / generator SIGTERMs", $"{RedisKills} / {GeneratorRestarts} (exit codes {(GeneratorRestarts == 0 ? "-" : string.Join(" ", GeneratorExitCodes))})", ""),
            ("recovery after Redis returned", recoveries.Count == 0 ? "-" : $"max {recoveries.Max().TotalSeconds:0.00} s, mean {recoveries.Average(r => r.TotalSeconds):0.00} s over {recoveries.Count}" + (UnrecoveredRedisRestarts > 0 ? $", {UnrecoveredRedisRestarts} never" : ""), $"<= {Settings.RecoveryTarget.TotalSeconds:0} s"),
            ("corrupted tokens served", $"{CorruptedTokens} of {TokenChecks} checked", "0"),
            ("jobs accepted", $"{JobsAccepted}: {JobsCompleted} completed, {JobsCancelled} cancelled, {JobsFailed} failed; {JobsDropped} dropped by their client " +
                $"(their end seen through WatchJob), {JobsResumed} broken streams resumed by WatchJob", ""),
            ("jobs lost", JobsLost.ToString(CultureInfo.InvariantCulture), "0"),
            ("jobs gone with Redis's data", JobsLostWithRedis.Count.ToString(CultureInfo.InvariantCulture), Settings.RedisPersistence ? "0" : "(no persistence)"),
            ("encoder RSS start / end", $"{Mb(EncoderRssStart)} / {Mb(EncoderRssEnd)} ({Growth(EncoderRssStart, EncoderRssEnd):+0.0%;-0.0%})", RssChecked ? $"<= +{Settings.RssGrowthLimit:0%}" : "(5 min+ runs)"),
            ("generator RSS start / end", $"{Mb(GeneratorRssStart)} / {Mb(GeneratorRssEnd)} ({Growth(GeneratorRssStart, GeneratorRssEnd):+0.0%;-0.0%}) over {GeneratorRssSpan.TotalSeconds:0} s of its longest process", RssChecked ? $"<= +{Settings.RssGrowthLimit:0%}" : "(5 min+ runs)"),
            ("NNPACK lines in the logs", NnpackLines.ToString(CultureInfo.InvariantCulture), "0"),
            ("jobs without one outcome line", JobsWithoutOneOutcomeLine.ToString(CultureInfo.InvariantCulture), "0"),
            ("service processes that exited unasked", UnexpectedExits.ToString(CultureInfo.InvariantCulture), "0"),
            ("serving after the last fault", ServingAtEnd ? "yes" : "no", "yes"),
        ]);
        return rows;
    }
}
