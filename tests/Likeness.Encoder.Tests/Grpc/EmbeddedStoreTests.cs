using Grpc.Core;
using Likeness.Contracts.Identity.V1;
using Likeness.Testing;
using static Likeness.Encoder.Tests.Grpc.Requests;

namespace Likeness.Encoder.Tests.Grpc;

public sealed class EmbeddedStoreTests
{
    [Fact]
    public async Task WithoutRedisConfiguration_TheInMemoryStoreKeepsTheSameContract()
    {
        await using var encoder = await RunningHost.StartEncoderAsync();
        var image = TestImages.Face(801);

        var first = await encoder.Client.EncodeIdentityAsync(Encode(image));
        var second = await encoder.Client.EncodeIdentityAsync(Encode(image));
        var fetched = await encoder.Client.GetIdentityAsync(new GetIdentityRequest { IdentityId = first.Identity.IdentityId, IncludeTokens = true });

        Assert.True(second.CacheHit);
        Assert.Equal(first.Identity.IdentityId, fetched.Identity.IdentityId);
        Assert.Equal(32 * 768 * 2, fetched.Tokens.Data.Length);
    }

    /// <summary>A hit answers with the quality reports stored with the tokens: the same as the encode that wrote them.</summary>
    [Fact]
    public async Task CacheHit_AnswersWithTheQualityStoredWithTheTokens_InEveryOrder()
    {
        await using var encoder = await RunningHost.StartEncoderAsync();
        var (a, b) = (TestImages.Face(802), TestImages.Face(803, 96, 96));
        var (request, reversed) = (Encode(a, b), Encode(b, a));

        var cold = await encoder.Client.EncodeIdentityAsync(request);
        var hit = await encoder.Client.EncodeIdentityAsync(request);
        var otherOrder = await encoder.Client.EncodeIdentityAsync(reversed);

        Assert.False(cold.CacheHit);
        Assert.True(hit.CacheHit && otherOrder.CacheHit);
        Assert.Equal(cold.Quality, hit.Quality);
        Assert.NotEmpty(cold.Quality[1].Warnings); // the small one is warned about, on the hit too
        Assert.Equal(cold.Identity.IdentityId, otherOrder.Identity.IdentityId);
        Assert.Equal(cold.Quality[0].Width, otherOrder.Quality[1].Width);
        Assert.Equal(1u, otherOrder.Quality[1].Index);

        // The cheap checks still run on a hit: a wrong declared format is refused.
        var mislabelled = request.Clone();
        mislabelled.References[0].Format = Contracts.Common.V1.ImageFormat.Jpeg;
        var error = await Assert.ThrowsAsync<RpcException>(async () => await encoder.Client.EncodeIdentityAsync(mislabelled));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
