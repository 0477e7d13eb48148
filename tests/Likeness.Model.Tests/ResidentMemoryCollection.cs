namespace Likeness.Model.Tests;

/// <summary>
/// Tests that read the process's resident memory run alone: the face models' tests, run in parallel, would otherwise
/// grow the same process while they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ResidentMemoryCollection
{
    public const string Name = "Resident memory";

    /// <summary>The process's resident set after a full garbage collection, in bytes.</summary>
    public static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var pages = long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return pages * Environment.SystemPageSize;
    }
}
