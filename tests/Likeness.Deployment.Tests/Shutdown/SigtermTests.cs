using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Likeness.Contracts.Generation.V1;
using Likeness.Testing;
using GeneratorClient = Likeness.Contracts.Generation.V1.Generator.GeneratorClient;

namespace Likeness.Deployment.Tests.Shutdown;

/// <summary>What Kubernetes does to a generator pod on scale-down or rollout, done to the real process: SIGTERM.</summary>
public sealed class SigtermTests
{
    [Fact]
    public async Task Sigterm_EndsTheRunningJobWithAFinalEvent_RefusesNewWork_AndExitsCleanly()
    {
        await using var redis = new RedisServer();
        var store = $"--Redis:Configuration={redis.Configuration}";
        await using var encoder = await RunningHost.StartEncoderAsync(store);
        var identity = await encoder.EncodeFaceAsync(3);
        var port = LoopbackPorts.Free();
        using var generator = StartGenerator(port, store);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        await WaitUntilServingAsync(new Health.HealthClient(channel), generator);
        var client = new GeneratorClient(channel);
        using var running = client.Generate(Long(identity));
        while (await running.ResponseStream.MoveNext(CancellationToken.None) && running.ResponseStream.Current.EventCase != JobEvent.EventOneofCase.Step)
        {
        }

        await generator.SignalAsync("TERM");

        var last = await JobStreams.LastEventAsync(running);
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var late = client.Generate(Long(identity));
            await late.ResponseStream.MoveNext(CancellationToken.None);
        });
        await generator.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(JobState.Cancelled, last.Ended.State);
        Assert.Contains("shutting down", last.Ended.Reason, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal(0, generator.ExitCode);
    }

    /// <summary>The generator as its container runs it: <c>dotnet Likeness.Generator.dll</c>, settings from the environment.</summary>
    private static ChildProcess StartGenerator(int port, string store) =>
        ChildProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Likeness.Generator.dll"), .. RunningHost.SeededIdentityModel, .. RunningHost.TinyVideoModel],
            new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["BrowserUrl"] = "",
                ["Redis__Configuration"] = store["--Redis:Configuration=".Length..],
                ["ShutdownTimeout"] = "00:00:20",
                ["Generator__DrainTimeout"] = "00:00:02",
                ["Logging__LogLevel__Default"] = "Warning",
            });

    private static async Task WaitUntilServingAsync(Health.HealthClient health, ChildProcess process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await health.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The generator process did not become ready.\n{process}");
    }

    private static GenerateRequest Long(string identity)
    {
        var request = new GenerateRequest { Prompt = "a character talks", NumFrames = 16, Width = 64, Height = 64, Steps = 100, Seed = 1 };
        request.Characters.Add(new Character { IdentityId = identity });
        return request;
    }
}
