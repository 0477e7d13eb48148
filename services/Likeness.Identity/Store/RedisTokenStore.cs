using StackExchange.Redis;

namespace Likeness.Identity.Store;

/// <summary>Token blobs in Redis under <c>{KeyPrefix}{identityId}</c>, written with SET … EX in one command.</summary>
public sealed class RedisTokenStore(IConnectionMultiplexer redis, TokenStoreOptions options, TimeProvider time) : ITokenStore
{
    public string Description => $"Redis ({string.Join(", ", redis.GetEndPoints().Select(e => e.ToString()))})";

    public Task<StoredBlob?> GetAsync(string identityId, CancellationToken cancellationToken) => Guard(async () =>
    {
        var entry = await redis.GetDatabase().StringGetWithExpiryAsync(Key(identityId));
        return entry.Value.IsNull
            ? null
            : new StoredBlob((byte[])entry.Value!, entry.Expiry is { } left ? time.GetUtcNow() + left : null);
    });

    public Task SetAsync(string identityId, byte[] blob, TimeSpan? timeToLive, CancellationToken cancellationToken) =>
        Guard(() => timeToLive is { } ttl
            ? redis.GetDatabase().StringSetAsync(Key(identityId), blob, ttl)
            : redis.GetDatabase().StringSetAsync(Key(identityId), blob));

    public Task<bool> DeleteAsync(string identityId, CancellationToken cancellationToken) =>
        Guard(() => redis.GetDatabase().KeyDeleteAsync(Key(identityId)));

    public Task PingAsync(CancellationToken cancellationToken) => Guard(() => redis.GetDatabase().PingAsync());

    private RedisKey Key(string identityId) => options.KeyPrefix + identityId;

    private static Task<T> Guard<T>(Func<Task<T>> operation) => RedisFaults.Guard("The token store", operation);
}
