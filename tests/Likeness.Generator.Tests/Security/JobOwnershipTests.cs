using Grpc.Core;
using Likeness.Contracts.Generation.V1;
using Likeness.Generator.Tests.Grpc;
using Likeness.Testing;

namespace Likeness.Generator.Tests.Security;

/// <summary>A job belongs to the principal that created it: others are PERMISSION_DENIED on watch, get and cancel; an admin is not.</summary>
public sealed class JobOwnershipTests(SecuredHostFixture fixture) : IClassFixture<SecuredHostFixture>
{
    private Contracts.Generation.V1.Generator.GeneratorClient Generator => fixture.Host.Generator;

    [Fact]
    public async Task AnotherPrincipal_CannotWatchGetOrCancel_TheOwnerAndAnAdminCan()
    {
        using var call = Generator.Generate(LongRequest(), SecuredHostFixture.As(fixture.AliceKey));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var jobId = call.ResponseStream.Current.JobId;
        var bob = SecuredHostFixture.As(fixture.BobKey);
        var bobByJwt = Credentials.Bearer(Credentials.Jwt("bob"));

        var get = await Assert.ThrowsAsync<RpcException>(() => Generator.GetJobAsync(new GetJobRequest { JobId = jobId }, bob).ResponseAsync);
        var cancel = await Assert.ThrowsAsync<RpcException>(() => Generator.CancelJobAsync(new CancelJobRequest { JobId = jobId }, bobByJwt).ResponseAsync);
        using var watch = Generator.WatchJob(new WatchJobRequest { JobId = jobId }, bob);
        var watching = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(CancellationToken.None));

        foreach (var error in new[] { get, cancel, watching })
        {
            Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
            Assert.Contains("belongs to another principal", error.Status.Detail, StringComparison.Ordinal);
        }

        var byOwner = await Generator.GetJobAsync(new GetJobRequest { JobId = jobId }, Credentials.Bearer(Credentials.Jwt("alice")));
        Assert.NotEqual(JobState.Cancelled, byOwner.State);
        using var adminWatch = Generator.WatchJob(new WatchJobRequest { JobId = jobId }, SecuredHostFixture.As(fixture.AdminKey));
        Assert.True(await adminWatch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(jobId, adminWatch.ResponseStream.Current.JobId);

        var cancelled = await Generator.CancelJobAsync(new CancelJobRequest { JobId = jobId }, Credentials.Bearer(Credentials.Jwt("someone", roles: ["admin"])));
        Assert.Equal(JobState.Cancelled, cancelled.State);
    }

    [Fact]
    public async Task ClientRequestId_OfAnotherPrincipal_StartsAJobOfItsOwn()
    {
        var request = Jobs.Request(seed: 3, fixture.AliceIdentity);
        request.ClientRequestId = "shared-retry-key";

        // Each call stays open (a job whose callers have all gone is cancelled, and a retry of a cancelled job starts
        // anew), and each starts after the one before has its job.
        using var alices = Generator.Generate(request, SecuredHostFixture.As(fixture.AliceKey));
        var alicesJob = await JobIdAsync(alices);
        using var alicesRetry = Generator.Generate(request, SecuredHostFixture.As(fixture.AliceKey));
        Assert.Equal(alicesJob, await JobIdAsync(alicesRetry));
        using var bobs = Generator.Generate(request, SecuredHostFixture.As(fixture.BobKey));
        Assert.NotEqual(alicesJob, await JobIdAsync(bobs));
    }

    private static async Task<string> JobIdAsync(AsyncServerStreamingCall<JobEvent> call)
    {
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call.ResponseStream.Current.JobId;
    }

    private GenerateRequest LongRequest()
    {
        var request = Jobs.Request(seed: 1, fixture.AliceIdentity);
        (request.Steps, request.NumFrames, request.Width, request.Height) = (100, 16, 64, 64);
        return request;
    }
}
