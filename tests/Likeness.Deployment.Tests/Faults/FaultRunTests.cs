using Likeness.Testing.Faults;

namespace Likeness.Deployment.Tests.Faults;

/// <summary>The faults bench command's driver at a small setting: real Redis and service processes, one fault of each kind.</summary>
[Collection(ServiceProcessesCollection.Name)]
public sealed class FaultRunTests
{
    [Fact]
    public async Task SmallRun_RedisKilledClientDroppedGeneratorSigtermed_NoCorruptTokensNoLostJobs_RecoversWithin5s_KeepsServing()
    {
        var settings = new FaultSettings
        {
            Clients = 3,
            Duration = TimeSpan.FromSeconds(24),
            RedisKillEvery = TimeSpan.FromSeconds(24), // one kill, at 8 s
            SigtermEvery = TimeSpan.FromSeconds(24), // one SIGTERM, at 16 s
            DropShare = 0.3,
            Steps = 6,
        };
        using var log = new StringWriter();

        var report = await FaultRun.RunAsync(settings, log);

        var figures = string.Join('\n', report.Rows().Select(r => $"{r.Figure}: {r.Value}")) + "\n" + string.Join('\n', report.Problems) + "\n" + log;
        Assert.True(report.RedisKills == 1 && report.GeneratorRestarts == 1, figures);
        Assert.True(report.JobsDropped >= 1 && report.JobsAccepted > report.JobsDropped, figures);
        Assert.True(report.TokenChecks > 0, figures);
        Assert.True(report.CorruptedTokens == 0, figures);
        Assert.True(report.JobsLost == 0, figures);
        var recovery = Assert.Single(report.Recoveries);
        Assert.True(recovery <= TimeSpan.FromSeconds(5), figures);
        Assert.True(report.ServingAtEnd, figures);
        Assert.True(report.MissedTargets().Count == 0, string.Join('\n', report.MissedTargets()) + "\n" + figures);
    }
}
