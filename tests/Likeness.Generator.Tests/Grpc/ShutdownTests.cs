using Grpc.Core;
using Likeness.Contracts.Generation.V1;
using Likeness.Testing;
using static Likeness.Generator.Tests.Grpc.Jobs;

namespace Likeness.Generator.Tests.Grpc;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_EndsTheRunningJobCleanlyAfterTheDrainTimeout_AndCancelsWaitingJobs()
    {
        await using var redis = new RedisServer();
        var store = $"--Redis:Configuration={redis.Configuration}";
        await using var encoder = await RunningHost.StartEncoderAsync(store);
        var generator = await RunningHost.StartGeneratorAsync(store, "--ShutdownTimeout=00:00:20", "--Generator:DrainTimeout=00:00:01");
        var identity = await EncodeAsync(encoder);
        var client = generator.Generator;
        using var running = client.Generate(Long(identity));
        while (await running.ResponseStream.MoveNext(CancellationToken.None) && running.ResponseStream.Current.EventCase != JobEvent.EventOneofCase.Step)
        {
        }

        using var waiting = client.Generate(Long(identity));
        Assert.True(await waiting.ResponseStream.MoveNext(CancellationToken.None));

        var stopping = generator.DisposeAsync().AsTask();
        var runningEnd = await LastEventAsync(running);
        var waitingEnd = await LastEventAsync(waiting);
        await stopping;

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

    private static async Task<string> EncodeAsync(RunningHost encoder)
    {
        var request = new Contracts.Identity.V1.EncodeIdentityRequest();
        request.References.Add(new Contracts.Common.V1.Image { Data = Google.Protobuf.ByteString.CopyFrom(TestImages.Face(3)) });
        return (await encoder.Client.EncodeIdentityAsync(request)).Identity.IdentityId;
    }

    /// <summary>The stream's last event; the status that closes it (CANCELLED for an ended job) is expected.</summary>
    private static async Task<JobEvent> LastEventAsync(AsyncServerStreamingCall<JobEvent> call)
    {
        JobEvent? last = null;
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                last = call.ResponseStream.Current;
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
        }

        return last!;
    }
}
