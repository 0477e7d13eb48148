using Likeness.Core.Errors;
using Likeness.Identity.Store;
using Likeness.Testing;
using StackExchange.Redis;

namespace Likeness.Identity.Tests.Store;

public sealed class RedisTokenStoreTests : IAsyncLifetime
{
    private readonly RedisServer redis = new();
    private ConnectionMultiplexer connection = null!;
    private RedisTokenStore store = null!;
    private readonly TokenStoreOptions options = new();

    public async Task InitializeAsync()
    {
        connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { redis.Configuration },
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
        });
        store = new RedisTokenStore(connection, options, TimeProvider.System);
    }

    [Fact]
    public async Task SetThenGet_ReturnsTheBlobAndItsExpiry()
    {
        await store.SetAsync("a1", [1, 2, 3], TimeSpan.FromMinutes(10), default);

        var stored = await store.GetAsync("a1", default);

        Assert.Equal(new byte[] { 1, 2, 3 }, stored!.Data);
        Assert.InRange(stored.ExpiresAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.True(await connection.GetDatabase().KeyExistsAsync(options.KeyPrefix + "a1"));
    }

    [Fact]
    public async Task Set_WithoutTimeToLive_NeverExpires()
    {
        await store.SetAsync("a2", [9], null, default);

        Assert.Null((await store.GetAsync("a2", default))!.ExpiresAt);
    }

    [Fact]
    public async Task Delete_RemovesOnceThenReportsNothingToDelete()
    {
        await store.SetAsync("a3", [1], null, default);

        Assert.True(await store.DeleteAsync("a3", default));
        Assert.False(await store.DeleteAsync("a3", default));
        Assert.Null(await store.GetAsync("a3", default));
    }

    [Fact]
    public async Task Operations_WhileRedisIsDown_AreUnavailable_AndRecoverWhenItReturns()
    {
        redis.Stop();

        var error = await Assert.ThrowsAsync<LikenessException>(() => store.GetAsync("a4", default));
        Assert.Equal(LikenessErrorKind.Unavailable, error.Kind);
        await Assert.ThrowsAsync<LikenessException>(() => store.PingAsync(default));

        redis.Start();
        await Eventually(() => store.PingAsync(default));
        await store.SetAsync("a4", [4], null, default);
        Assert.NotNull(await store.GetAsync("a4", default));
    }

    private static async Task Eventually(Func<Task> action)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await action();
                return;
            }
            catch (LikenessException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    public async Task DisposeAsync()
    {
        await connection.DisposeAsync();
        await redis.DisposeAsync();
    }
}
