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
}
