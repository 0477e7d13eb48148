using Grpc.Core;
using Likeness.Contracts.Identity.V1;
using Likeness.Identity.Store;
using Likeness.Identity.Tokens;
using Microsoft.Extensions.DependencyInjection;
using static Likeness.Generator.Tests.Grpc.Jobs;

namespace Likeness.Generator.Tests.Grpc;

/// <summary>The encoder's GetIdentity and the generator read a stored identity the same way and fail the same way.</summary>
public sealed class StoredIdentityErrorTests(GeneratorFixture fixture) : IClassFixture<GeneratorFixture>
{
    [Fact]
    public async Task MissingIdentity_IsNotFound_WithTheSameMessageFromBothServices()
    {
        var (encoder, generator) = await ErrorsForAsync("0123456789abcdef0123456789abcdef");

        Assert.Equal(StatusCode.NotFound, encoder.StatusCode);
        AssertSame(encoder, generator);
    }

    [Fact]
    public async Task CorruptIdentity_IsDataLoss_WithTheSameMessageFromBothServices()
    {
        var id = await fixture.EncodeAsync(701);
        await RewriteAsync(id, blob => blob[blob.Length / 2] ^= 0x10);

        var (encoder, generator) = await ErrorsForAsync(id);

        Assert.Equal(StatusCode.DataLoss, encoder.StatusCode);
        AssertSame(encoder, generator);
    }

    [Fact]
    public async Task AnotherModelsIdentity_IsFailedPrecondition_WithTheSameMessageFromBothServices()
    {
        var id = await fixture.EncodeAsync(702);
        await RetagAsync(id, "likeness-identity-v0-other");

        var (encoder, generator) = await ErrorsForAsync(id);

        Assert.Equal(StatusCode.FailedPrecondition, encoder.StatusCode);
        Assert.Contains("likeness-identity-v0-other", encoder.Status.Detail, StringComparison.Ordinal);
        AssertSame(encoder, generator);
    }

    [Fact]
    public async Task PhotoIdentity_IsFailedPrecondition_SayingPhotoIdentitiesAreForScoring()
    {
        var id = await fixture.EncodeAsync(703);
        await RetagAsync(id, "likeness-photo-v1+recogniser+detector");

        var refused = await Assert.ThrowsAsync<RpcException>(() => CollectAsync(fixture.Generator.Generator.Generate(Request(seed: 1, id))));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("is a photo identity", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("`likeness score`", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("`likeness encode`", refused.Status.Detail, StringComparison.Ordinal);
    }

    private async Task<(RpcException Encoder, RpcException Generator)> ErrorsForAsync(string id) => (
        await Assert.ThrowsAsync<RpcException>(() => fixture.Encoder.Client.GetIdentityAsync(new GetIdentityRequest { IdentityId = id }).ResponseAsync),
        await Assert.ThrowsAsync<RpcException>(() => CollectAsync(fixture.Generator.Generator.Generate(Request(seed: 1, id)))));

    private static void AssertSame(RpcException encoder, RpcException generator)
    {
        Assert.Equal(encoder.StatusCode, generator.StatusCode);
        Assert.Equal(encoder.Status.Detail, generator.Status.Detail);
    }

    /// <summary>Stores the identity's tokens again as if <paramref name="modelId"/> had encoded them.</summary>
    private Task RetagAsync(string id, string modelId) => RewriteAsync(id, blob =>
    {
        var (tokens, dtype) = TokenBlob.Decode(blob);
        return TokenBlob.Encode(tokens with { ModelId = modelId }, dtype);
    });

    private Task RewriteAsync(string id, Action<byte[]> change) => RewriteAsync(id, blob =>
    {
        change(blob);
        return blob;
    });

    private async Task RewriteAsync(string id, Func<byte[], byte[]> change)
    {
        await using var redis = await fixture.Redis.ConnectAsync();
        var key = fixture.Generator.Services.GetRequiredService<TokenStoreOptions>().KeyPrefix + id;
        var blob = (byte[])(await redis.GetDatabase().StringGetAsync(key))!;
        await redis.GetDatabase().StringSetAsync(key, change(blob));
    }
}
