using Google.Rpc;
using Grpc.Core;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Testing;

namespace Likeness.Generator.Tests.Security;

/// <summary>Per-principal quotas: past its burst a principal is RESOURCE_EXHAUSTED with a retry hint; others are unaffected.</summary>
public sealed class QuotaTests(SecuredHostFixture fixture) : IClassFixture<SecuredHostFixture>
{
    [Fact]
    public async Task EncodeIdentity_PastTheQuota_IsResourceExhausted_WithRetryInfo()
    {
        var thrifty = SecuredHostFixture.As(fixture.ThriftyKey);
        for (var i = 0; i < SecuredHostFixture.EncodeBurst; i++)
        {
            await fixture.Host.Client.EncodeIdentityAsync(Encode(40 + i), thrifty);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Host.Client.EncodeIdentityAsync(Encode(50), thrifty).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("thrifty has spent its Encodes quota", error.Status.Detail, StringComparison.Ordinal);
        var retry = error.GetRpcStatus()?.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        var delay = retry.RetryDelay.ToTimeSpan();
        Assert.InRange(delay, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

        // Another principal still has its own bucket.
        await fixture.Host.Client.EncodeIdentityAsync(Encode(50), SecuredHostFixture.As(fixture.BobKey));
    }

    private static EncodeIdentityRequest Encode(int face)
    {
        var request = new EncodeIdentityRequest();
        request.References.Add(new Image { Data = Google.Protobuf.ByteString.CopyFrom(TestImages.Face(face)) });
        return request;
    }
}
