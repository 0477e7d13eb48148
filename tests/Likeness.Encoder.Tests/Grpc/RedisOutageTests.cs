using Grpc.Core;
using Grpc.Health.V1;
using Likeness.Testing;
using static Likeness.Encoder.Tests.Grpc.Requests;

namespace Likeness.Encoder.Tests.Grpc;

public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly RedisServer redis = new();
    private RunningHost encoder = null!;

    public async Task InitializeAsync() => encoder = await RunningHost.StartEncoderAsync($"--Redis:Configuration={redis.Configuration}");

    [Fact]
    public async Task RedisStopped_EncodeIsUnavailableAndHealthNotServing_ThenRecoversWithoutARestart()
    {
        var image = TestImages.Face(701);
        await encoder.Client.EncodeIdentityAsync(Encode(TestImages.Face(700)));

        redis.Stop();

        var error = await Assert.ThrowsAsync<RpcException>(() => encoder.Client.EncodeIdentityAsync(Encode(image)).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        await encoder.WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus.NotServing, TimeSpan.FromSeconds(10));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await encoder.Health.CheckAsync(new HealthCheckRequest { Service = "liveness" })).Status);

        redis.Start();

        await encoder.WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(30));
        var encoded = await encoder.Client.EncodeIdentityAsync(Encode(image));
        Assert.False(encoded.CacheHit);
    }

    public async Task DisposeAsync()
    {
        await encoder.DisposeAsync();
        await redis.DisposeAsync();
    }
}
