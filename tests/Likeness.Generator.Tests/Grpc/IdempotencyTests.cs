using Google.Rpc;
using Grpc.Core;
using Likeness.Contracts.Generation.V1;
using static Likeness.Generator.Tests.Grpc.Jobs;

namespace Likeness.Generator.Tests.Grpc;

/// <summary>client_request_id over gRPC: one job per id however many submissions arrive at once, bound to the request's parameters.</summary>
public sealed class IdempotencyTests(GeneratorFixture fixture) : IClassFixture<GeneratorFixture>
{
    private Contracts.Generation.V1.Generator.GeneratorClient Client => fixture.Generator.Generator;

    [Fact]
    public async Task Generate_ManyConcurrentSubmitsWithOneClientRequestId_MakeOneJob()
    {
        var request = Request(seed: 3, fixture.Alice);
        request.ClientRequestId = "race-" + Guid.NewGuid();
        using var start = new ManualResetEventSlim();

        // 24 callers at once against a queue of 2: without one job per id, most would start jobs of their own or be
        // refused as RESOURCE_EXHAUSTED.
        var callers = Enumerable.Range(0, 24).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await CollectAsync(Client.Generate(request));
        })).ToList();
        start.Set();
        var streams = await Task.WhenAll(callers);

        var jobIds = streams.Select(events => events[0].JobId).Distinct().ToList();
        Assert.Single(jobIds);
        Assert.All(streams, events => Assert.Equal(JobEvent.EventOneofCase.Completed, events[^1].EventCase));
    }

    [Theory]
    [InlineData("another prompt")]
    [InlineData("other steps")]
    [InlineData("another seed")]
    [InlineData("another strength")]
    public async Task Generate_SameClientRequestIdOtherParameters_IsAlreadyExistsNamingTheId(string change)
    {
        var request = Request(seed: 4, fixture.Alice);
        request.ClientRequestId = "mismatch-" + Guid.NewGuid();
        var first = await CollectAsync(Client.Generate(request));
        var retry = request.Clone();
        switch (change)
        {
            case "another prompt": retry.Prompt = "a character frowns"; break;
            case "other steps": retry.Steps = 2; break;
            case "another seed": retry.Seed = 5; break;
            case "another strength": retry.Characters[0].IdentityStrength = 0.7f; break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => CollectAsync(Client.Generate(retry)));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.StartsWith("client_request_id:", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(first[0].JobId, error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("client_request_id", error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
    }

    [Fact]
    public async Task Generate_SameClientRequestIdWithDefaultsSpelledOut_AttachesToTheSameJob()
    {
        var request = Request(seed: 6, fixture.Alice);
        request.ClientRequestId = "defaults-" + Guid.NewGuid();
        var first = await CollectAsync(Client.Generate(request));
        var spelledOut = request.Clone();
        spelledOut.Characters[0].ClearIdentityStrength();
        spelledOut.Scheduler = Scheduler.Euler;
        spelledOut.FrameFormat = FrameFormat.Png;
        spelledOut.Fps = 8;

        var retry = await CollectAsync(Client.Generate(spelledOut));

        Assert.Equal(first[0].JobId, retry[0].JobId);
    }

    [Fact]
    public async Task Generate_ClientRequestIdOfACancelledJob_StartsANewJobEvenWithOtherParameters()
    {
        var request = Request(seed: 7, fixture.Alice);
        request.ClientRequestId = "cancelled-" + Guid.NewGuid();
        using (var call = Client.Generate(request))
        {
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            var state = await Client.CancelJobAsync(new CancelJobRequest { JobId = call.ResponseStream.Current.JobId });
            Assert.Contains(state.State, new[] { JobState.Cancelled, JobState.Completed });
            if (state.State == JobState.Completed)
            {
                return; // it finished before the cancel: nothing to learn from this run
            }
        }

        request.Prompt = "a character frowns";
        var again = await CollectAsync(Client.Generate(request));

        Assert.Equal(JobEvent.EventOneofCase.Completed, again[^1].EventCase);
    }
}
