using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using Likeness.Contracts.Generation.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Testing;
using Likeness.Testing.Faults;
using GeneratorClient = Likeness.Contracts.Generation.V1.Generator.GeneratorClient;

namespace Likeness.Deployment.Tests.Logs;

/// <summary>What the service processes print, read from their real stdout and stderr (LibTorch writes to stderr itself).</summary>
[Collection(ServiceProcessesCollection.Name)]
public sealed partial class ServiceLogTests
{
    private const string RedisPassword = "likeness-log-test-secret-5b1e";

    [Fact]
    public async Task ServiceProcesses_JobsCompletedCancelledAndDropped_LogOneOutcomeLineEach_NoNnpackLine_NoRedisPassword()
    {
        var redisPort = LoopbackPorts.Free();
        using var redis = ChildProcess.Start("redis-server",
            ["--port", redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", RedisPassword]);
        await WaitForPortAsync(redisPort);
        var environment = new Dictionary<string, string>
        {
            ["Redis__Configuration"] = $"127.0.0.1:{redisPort},password={RedisPassword}",
            ["Logging__LogLevel__Default"] = "Information",
        };
        // The shipped, trained models, as operators run them: their convolutions (face backbone, frame autoencoder) are where LibTorch tried NNPACK.
        using var encoder = new ServiceProcess("encoder", "Likeness.Encoder.dll", [], environment);
        using var generator = new ServiceProcess("generator", "Likeness.Generator.dll", [], environment);
        await Task.WhenAll(encoder.StartAsync(TimeSpan.FromSeconds(90)), generator.StartAsync(TimeSpan.FromSeconds(90)));
        var encode = new EncodeIdentityRequest();
        encode.References.Add(new Contracts.Common.V1.Image { Data = ByteString.CopyFrom(TestImages.Face(5)) });
        var identity = (await new IdentityEncoder.IdentityEncoderClient(encoder.Channel).EncodeIdentityAsync(encode)).Identity.IdentityId;
        var client = new GeneratorClient(generator.Channel);

        using var quick = client.Generate(Request(identity, steps: 4));
        var completed = await JobStreams.LastEventAsync(quick);
        var cancelled = await StartedJobAsync(client, identity);
        await client.CancelJobAsync(new CancelJobRequest { JobId = cancelled.JobId });
        cancelled.Call.Dispose();
        var dropped = await StartedJobAsync(client, identity);
        var droppedId = dropped.JobId;
        dropped.Call.Dispose();
        await WaitUntilEndedAsync(client, droppedId);
        await generator.TerminateAsync(TimeSpan.FromSeconds(40));
        await encoder.TerminateAsync(TimeSpan.FromSeconds(40));

        var output = string.Join('\n', encoder.Incarnations.Concat(generator.Incarnations).Select(p => p.Output + p.Errors));
        var lines = output.Split('\n');
        Assert.Equal(JobEvent.EventOneofCase.Completed, completed.EventCase);
        foreach (var (jobId, outcome) in new[] { (completed.JobId, "completed"), (cancelled.JobId, "cancelled"), (droppedId, "cancelled") })
        {
            var line = Assert.Single(lines, l => l.Contains(jobId, StringComparison.Ordinal));
            Assert.Matches($@"Job {jobId} {outcome} (in|after) \d+ ms", line);
        }

        Assert.Equal(3, lines.Count(l => OutcomeLine().IsMatch(l)));
        Assert.DoesNotContain(lines, l => l.Contains("NNPACK", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(RedisPassword, output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Job job_[0-9a-f]+ (completed|cancelled|failed) ")]
    private static partial Regex OutcomeLine();

    private static GenerateRequest Request(string identity, uint steps)
    {
        var request = new GenerateRequest { Prompt = "a character talks", NumFrames = 16, Width = 64, Height = 64, Steps = steps, Seed = 1 };
        request.Characters.Add(new Character { IdentityId = identity });
        return request;
    }

    /// <summary>A long job, read until its first step, so it is running on the device.</summary>
    private static async Task<(string JobId, AsyncServerStreamingCall<JobEvent> Call)> StartedJobAsync(GeneratorClient client, string identity)
    {
        var call = client.Generate(Request(identity, steps: 100));
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            if (call.ResponseStream.Current.EventCase == JobEvent.EventOneofCase.Step)
            {
                return (call.ResponseStream.Current.JobId, call);
            }
        }

        throw new InvalidOperationException("The job ended before its first step.");
    }

    private static async Task WaitUntilEndedAsync(GeneratorClient client, string jobId)
    {
        for (var i = 0; i < 100; i++)
        {
            if ((await client.GetJobAsync(new GetJobRequest { JobId = jobId })).State is JobState.Cancelled or JobState.Completed or JobState.Failed)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{jobId} did not end after its client went away.");
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 150; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"redis-server did not listen on {port}.");
    }
}
