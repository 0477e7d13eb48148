using Likeness.Contracts.Generation.V1;
using Likeness.Testing;
using static Likeness.Generator.Tests.Grpc.Jobs;

namespace Likeness.Generator.Tests.Grpc;

public sealed class ShutdownTests
{
    /// <summary>A generator with jobs of its own (no Redis): nobody else can run them, so stopping ends them all.</summary>
    [Fact]
    public async Task Stopping_EndsTheRunningJobCleanlyAfterTheDrainTimeout_AndCancelsWaitingJobs()
    {
        await using var generator = await RunningHost.StartEmbeddedAsync(
            [.. RunningHost.SeededIdentityModel, .. RunningHost.TinyVideoModel, "--ShutdownTimeout=00:00:20", "--Generator:DrainTimeout=00:00:01"]);
        var identity = await generator.EncodeFaceAsync(3);
        var client = generator.Generator;
        using var running = client.Generate(Long(identity));
        while (await running.ResponseStream.MoveNext(CancellationToken.None) && running.ResponseStream.Current.EventCase != JobEvent.EventOneofCase.Step)
        {
        }

        using var waiting = client.Generate(Long(identity));
        Assert.True(await waiting.ResponseStream.MoveNext(CancellationToken.None));

        // Both streams are read while the host stops; the client channel stays open until their last events are read.
        var ends = Task.WhenAll(JobStreams.LastEventAsync(running), JobStreams.LastEventAsync(waiting));
        var stopping = generator.StopAsync();
        var last = await ends;
        await stopping;
        var (runningEnd, waitingEnd) = (last[0], last[1]);

        Assert.Equal(JobState.Cancelled, runningEnd.Ended.State);
        Assert.Contains("shutting down", runningEnd.Ended.Reason, StringComparison.Ordinal);
        Assert.Equal(JobState.Cancelled, waitingEnd.Ended.State);
    }

    private static GenerateRequest Long(string identity)
    {
        var request = Request(seed: 1, identity);
        (request.Steps, request.NumFrames, request.Width, request.Height) = (100, 16, 64, 64);
        return request;
    }
}
