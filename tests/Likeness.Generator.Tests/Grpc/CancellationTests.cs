using Grpc.Core;
using Likeness.Contracts.Generation.V1;
using Likeness.Testing;
using static Likeness.Generator.Tests.Grpc.Jobs;

namespace Likeness.Generator.Tests.Grpc;

[Collection(ResidentMemoryCollection.Name)]
public sealed class CancellationTests(GeneratorFixture fixture) : IClassFixture<GeneratorFixture>
{
    private Contracts.Generation.V1.Generator.GeneratorClient Client => fixture.Generator.Generator;

    [Fact]
    public async Task CancelJob_MidRun_EndsWithinOneStep_AndTheNextJobRuns()
    {
        using var call = Client.Generate(LongRequest());
        var jobId = await WaitForStepAsync(call, step: 2);

        // The server's step when the cancel is sent (the stream may hold steps not read yet); at most one more step may
        // finish before the cancel arrives, and the one in flight then ends.
        var stepAtCancel = (await Client.GetJobAsync(new GetJobRequest { JobId = jobId })).Step;
        var response = await Client.CancelJobAsync(new CancelJobRequest { JobId = jobId });
        var rest = await DrainAsync(call);
        var ended = await Client.GetJobAsync(new GetJobRequest { JobId = jobId });

        Assert.True(ended.Step <= stepAtCancel + 2, $"The job was at step {stepAtCancel} when cancelled and ran to step {ended.Step}.");
        Assert.Equal(JobState.Cancelled, rest.Ended!.State);
        Assert.Equal(StatusCode.Cancelled, rest.Status);
        Assert.Equal(JobState.Cancelled, response.State);
        Assert.Equal(JobState.Cancelled, ended.State);
        await AssertNextJobCompletes();
    }

    [Fact]
    public async Task ClientDisconnect_CancelsTheJob()
    {
        using var disconnect = new CancellationTokenSource();
        using var call = Client.Generate(LongRequest(), cancellationToken: disconnect.Token);
        var jobId = await WaitForStepAsync(call, step: 1);

        disconnect.Cancel();

        await WaitForStateAsync(jobId, JobState.Cancelled);
        var status = await Client.GetJobAsync(new GetJobRequest { JobId = jobId });
        Assert.True(status.Step < LongRequest().Steps, $"the job ran to step {status.Step}");
        await AssertNextJobCompletes();
        // A client going away is routine: the job's outcome line says so, with no exception and its stack in the log.
        Assert.DoesNotContain(fixture.Logs.Lines, line => line.Contains("CanceledException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientDisconnect_WithAClientRequestId_TheJobWaitsForItsClient_AndTheSameRequestAgainAttachesToIt()
    {
        var request = LongRequest();
        request.ClientRequestId = "resume-" + Guid.NewGuid().ToString("N");
        using var disconnect = new CancellationTokenSource();
        using var call = Client.Generate(request, cancellationToken: disconnect.Token);
        var jobId = await WaitForStepAsync(call, step: 1);

        disconnect.Cancel();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var meanwhile = await Client.GetJobAsync(new GetJobRequest { JobId = jobId });
        using var again = Client.Generate(request);
        Assert.True(await again.ResponseStream.MoveNext(CancellationToken.None));
        var replayed = again.ResponseStream.Current;
        await Client.CancelJobAsync(new CancelJobRequest { JobId = jobId });

        Assert.Equal(JobState.Running, meanwhile.State); // the default Generator:ReattachGrace, 30 s, has not passed
        Assert.Equal((jobId, 1ul), (replayed.JobId, replayed.Sequence)); // the same job, its events from the first
        await AssertNextJobCompletes();
    }

    [Fact]
    public async Task ClientDisconnect_WithAClientRequestId_IsCancelledWhenNoStreamComesBackWithinTheGrace()
    {
        await using var host = await RunningHost.StartEmbeddedAsync([.. RunningHost.SeededIdentityModel, .. RunningHost.TinyVideoModel, "--Generator:ReattachGrace=00:00:01"]);
        var identity = (await host.Client.EncodeIdentityAsync(new Contracts.Identity.V1.EncodeIdentityRequest
        {
            References = { new Contracts.Common.V1.Image { Data = Google.Protobuf.ByteString.CopyFrom(TestImages.Face(11)) } },
        })).Identity.IdentityId;
        var request = LongRequest();
        (request.Characters[0].IdentityId, request.ClientRequestId) = (identity, "gone-" + Guid.NewGuid().ToString("N"));
        using var disconnect = new CancellationTokenSource();
        using var call = host.Generator.Generate(request, cancellationToken: disconnect.Token);
        var jobId = await WaitForStepAsync(call, step: 1);

        disconnect.Cancel();
        var ended = DateTime.UtcNow.AddSeconds(15);
        JobStatus status;
        while ((status = await host.Generator.GetJobAsync(new GetJobRequest { JobId = jobId })).State == JobState.Running)
        {
            Assert.True(DateTime.UtcNow < ended, "the job still runs 15 s after its client went away");
            await Task.Delay(100);
        }

        Assert.Equal(JobState.Cancelled, status.State);
        Assert.Contains("did not come back within 1 s", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadline_CancelsTheJob()
    {
        using var call = Client.Generate(LongRequest(), deadline: DateTime.UtcNow.AddSeconds(1.5));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var jobId = call.ResponseStream.Current.JobId;

        var error = await Assert.ThrowsAsync<RpcException>(() => DrainAsync(call));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);

        await WaitForStateAsync(jobId, JobState.Cancelled);
        await AssertNextJobCompletes();
    }

    [Fact]
    public async Task QueueFull_IsResourceExhausted_AndQueuedJobsLearnTheirPositions()
    {
        using var running = Client.Generate(LongRequest());
        var runningId = await WaitForStepAsync(running, step: 1);
        using var second = Client.Generate(LongRequest());
        Assert.True(await second.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(0u, second.ResponseStream.Current.Queued.Position);
        using var third = Client.Generate(LongRequest());
        Assert.True(await third.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(1u, third.ResponseStream.Current.Queued.Position);
        var thirdId = third.ResponseStream.Current.JobId;

        var error = await Assert.ThrowsAsync<RpcException>(() => DrainAsync(Client.Generate(LongRequest())));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);

        // Cancelling the job ahead moves the last one up.
        await Client.CancelJobAsync(new CancelJobRequest { JobId = second.ResponseStream.Current.JobId });
        Assert.True(await third.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(0u, third.ResponseStream.Current.Queued.Position);

        await Client.CancelJobAsync(new CancelJobRequest { JobId = thirdId });
        await Client.CancelJobAsync(new CancelJobRequest { JobId = runningId });
        await WaitForStateAsync(runningId, JobState.Cancelled);
    }

    [Fact]
    public async Task ManyCancelledJobs_LeaveNativeMemoryFlat()
    {
        await CancelAfterFirstStepAsync(); // warm-up
        var before = await ResidentMemory.SettledAsync(ResidentMemory.OfThisProcess);

        for (var i = 0; i < 30; i++)
        {
            await CancelAfterFirstStepAsync();
        }

        var growth = await ResidentMemory.SettledAsync(ResidentMemory.OfThisProcess) - before;
        Assert.True(growth < 64L * 1024 * 1024, $"Resident memory grew by {growth / (1024 * 1024)} MiB over 30 cancelled jobs.");
        await AssertNextJobCompletes();
    }

    private async Task CancelAfterFirstStepAsync()
    {
        using var call = Client.Generate(LongRequest());
        var jobId = await WaitForStepAsync(call, step: 1);
        await Client.CancelJobAsync(new CancelJobRequest { JobId = jobId });
        await DrainAsync(call);
    }

    private GenerateRequest LongRequest()
    {
        // About a tenth of a second per step with the tiny model on two cores, so a job outlives every check here.
        var request = Request(seed: 1, fixture.Alice);
        (request.Steps, request.NumFrames, request.Width, request.Height) = (100, 16, 64, 64);
        return request;
    }

    private static async Task<string> WaitForStepAsync(AsyncServerStreamingCall<JobEvent> call, int step)
    {
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            var current = call.ResponseStream.Current;
            if (current.EventCase == JobEvent.EventOneofCase.Step && current.Step.Step >= step)
            {
                return current.JobId;
            }
        }

        throw new InvalidOperationException("The stream ended before the step.");
    }

    private static async Task<(int Steps, Ended? Ended, StatusCode Status)> DrainAsync(AsyncServerStreamingCall<JobEvent> call)
    {
        var steps = 0;
        Ended? ended = null;
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                steps += call.ResponseStream.Current.EventCase == JobEvent.EventOneofCase.Step ? 1 : 0;
                ended ??= call.ResponseStream.Current.Ended;
            }

            return (steps, ended, StatusCode.OK);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            return (steps, ended, e.StatusCode);
        }
    }

    private async Task WaitForStateAsync(string jobId, JobState state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await Client.GetJobAsync(new GetJobRequest { JobId = jobId })).State != state)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Job {jobId} did not reach {state}.");
            await Task.Delay(20);
        }
    }

    private async Task AssertNextJobCompletes()
    {
        var events = await CollectAsync(Client.Generate(Request(seed: 4, fixture.Alice)));
        Assert.Equal(JobEvent.EventOneofCase.Completed, events[^1].EventCase);
    }
}
