using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Likeness.Contracts.Generation.V1;
using Likeness.Testing;
using GeneratorClient = Likeness.Contracts.Generation.V1.Generator.GeneratorClient;

namespace Likeness.Deployment.Tests.Shutdown;

/// <summary>What Kubernetes does to a generator pod on scale-down or rollout, done to the real process: SIGTERM.</summary>
[Collection(ServiceProcessesCollection.Name)]
public sealed class SigtermTests
{
    /// <summary>
    /// A generator on Redis shares its jobs: SIGTERM ends its streams UNAVAILABLE (naming WatchJob), refuses new work,
    /// hands the running job back and exits 0; the next generator to start takes the job over and completes it.
    /// </summary>
    [Fact]
    public async Task Sigterm_EndsStreamsUnavailable_RefusesNewWork_ExitsCleanly_AndTheNextGeneratorCompletesTheJob()
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
        JobEvent? last = null;
        while (await running.ResponseStream.MoveNext(CancellationToken.None) && running.ResponseStream.Current.EventCase != JobEvent.EventOneofCase.Step)
        {
            last = running.ResponseStream.Current;
        }

        await generator.SignalAsync("TERM");

        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await running.ResponseStream.MoveNext(CancellationToken.None))
            {
                last = running.ResponseStream.Current;
            }
        });
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var late = client.Generate(Long(identity));
            await late.ResponseStream.MoveNext(CancellationToken.None);
        });
        await generator.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(StatusCode.Unavailable, ended.StatusCode);
        Assert.Contains("WatchJob", ended.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal(0, generator.ExitCode);

        using var next = StartGenerator(port, store);
        await WaitUntilServingAsync(new Health.HealthClient(channel), next);
        using var watch = client.WatchJob(new WatchJobRequest { JobId = last!.JobId, AfterSequence = last.Sequence });
        var final = await JobStreams.LastEventAsync(watch);
        Assert.Equal(JobEvent.EventOneofCase.Completed, final.EventCase);
        await next.SignalAsync("TERM");
        await next.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The generator as its container runs it: <c>dotnet Likeness.Generator.dll</c>, settings from the environment.</summary>
    private static ChildProcess StartGenerator(int port, string store) =>
        ChildProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Likeness.Generator.dll"), .. RunningHost.SeededIdentityModel, .. RunningHost.TinyVideoModel],
            new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["BrowserUrl"] = "",
                ["EncoderBrowserUrl"] = "",
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
        var request = new GenerateRequest { Prompt = "a character talks", NumFrames = 8, Width = 64, Height = 64, Steps = 40, Seed = 1 };
        request.Characters.Add(new Character { IdentityId = identity });
        return request;
    }
}
