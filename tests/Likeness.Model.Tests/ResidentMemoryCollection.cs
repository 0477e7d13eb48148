namespace Likeness.Model.Tests;

/// <summary>
/// Tests that read the process's resident memory run alone: the face models' tests, run in parallel, would otherwise
/// grow the same process while they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ResidentMemoryCollection
{
    public const string Name = "Resident memory";
}
