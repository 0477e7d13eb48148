namespace Likeness.Deployment.Tests;

/// <summary>
/// Test classes that run several real service processes with timing targets (claim timeouts, recovery within 5 s, drain
/// deadlines) run one after another: on two cores, side by side, they would starve each other's processes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServiceProcessesCollection
{
    public const string Name = "Service processes";
}
