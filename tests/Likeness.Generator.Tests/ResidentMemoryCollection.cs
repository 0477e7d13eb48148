namespace Likeness.Generator.Tests;

/// <summary>
/// Test classes that read the process's resident memory run alone: the other classes' hosts, run in parallel in the
/// same process, would otherwise grow it while they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ResidentMemoryCollection
{
    public const string Name = "Resident memory";
}
