using System.Globalization;

namespace Likeness.Testing;

/// <summary>Resident memory readings for the memory tests and the memory bench.</summary>
public static class ResidentMemory
{
    /// <summary>This process's resident set after a full garbage collection, in bytes.</summary>
    public static long OfThisProcess()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var pages = long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1], CultureInfo.InvariantCulture);
        return pages * Environment.SystemPageSize;
    }

    /// <summary>
    /// A reading once it has settled: two reads 200 ms apart within 1 MiB, at most 5 s. A generator frees a cancelled
    /// job's native memory, and trims its heap, after the job's last event is out, so a reading taken at once can fall
    /// inside that teardown; settled readings are all taken at the same point of the work.
    /// </summary>
    public static async Task<long> SettledAsync(Func<long> read)
    {
        var last = read();
        for (var i = 0; i < 25; i++)
        {
            await Task.Delay(200);
            var now = read();
            if (Math.Abs(now - last) < 1024 * 1024)
            {
                return now;
            }

            last = now;
        }

        return last;
    }
}
