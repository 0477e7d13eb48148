using Grpc.Core;
using Likeness.Contracts.Generation.V1;
using Likeness.Testing;
using static Likeness.Generator.Tests.Grpc.Jobs;

namespace Likeness.Generator.Tests.Grpc;

/// <summary>How long finished jobs stay watchable: ten minutes, and never more than the newest <c>MaxFinishedJobs</c>.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task FinishedJobs_BeyondMaxFinishedJobs_OldestAreForgotten_NewestStayWatchable()
    {
        await using var redis = new RedisServer();
        var store = $"--Redis:Configuration={redis.Configuration}";
        await using var encoder = await RunningHost.StartEncoderAsync(store);
        await using var generator = await RunningHost.StartGeneratorAsync(store, "--Generator:MaxFinishedJobs=2");
        var identity = await encoder.EncodeFaceAsync(4);
        var jobs = new List<string>();

        for (var i = 0; i < 4; i++)
        {
            using var call = generator.Generator.Generate(Request((ulong)i + 1, identity));
            jobs.Add((await JobStreams.LastEventAsync(call)).JobId);
        }

        // Jobs shared through Redis are trimmed as each one ends: four ended and the newest two stay.
        var forgotten = await Assert.ThrowsAsync<RpcException>(async () => await generator.Generator.GetJobAsync(new GetJobRequest { JobId = jobs[0] }));
        Assert.Equal(StatusCode.NotFound, forgotten.StatusCode);
        foreach (var kept in jobs.Skip(2))
        {
            Assert.Equal(JobState.Completed, (await generator.Generator.GetJobAsync(new GetJobRequest { JobId = kept })).State);
        }
    }
}
