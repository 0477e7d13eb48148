using System.Diagnostics;
using System.Globalization;

namespace Likeness.Benchmarks;

/// <summary>Samples of one operation's wall time, summarised as percentiles.</summary>
internal sealed class Latency(string name)
{
    private readonly List<double> milliseconds = [];

    public string Name { get; } = name;

    public async Task MeasureAsync(Func<Task> operation)
    {
        var started = Stopwatch.GetTimestamp();
        await operation();
        milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Records a time measured elsewhere (a step time a server reported, a call timed in another process).</summary>
    public void Add(TimeSpan elapsed) => milliseconds.Add(elapsed.TotalMilliseconds);

    public int Count => milliseconds.Count;

    public double Percentile(double p)
    {
        var sorted = milliseconds.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-28} {milliseconds.Count,6} {Percentile(50),10:0.00} {Percentile(99),10:0.00} {milliseconds.Average(),10:0.00}");

    public static string Header => $"{"operation",-28} {"runs",6} {"p50 ms",10} {"p99 ms",10} {"mean ms",10}";
}
