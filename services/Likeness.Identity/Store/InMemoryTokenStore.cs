using System.Collections.Concurrent;

namespace Likeness.Identity.Store;

/// <summary>The embedded default: token blobs in this process, same contract as Redis, lost on restart.</summary>
public sealed class InMemoryTokenStore(TokenStoreOptions options, TimeProvider time) : ITokenStore
{
    private readonly ConcurrentDictionary<string, StoredBlob> entries = new(StringComparer.Ordinal);

    public string Description => "in-memory (embedded; identities are lost on restart)";

    public Task<StoredBlob?> GetAsync(string identityId, CancellationToken cancellationToken)
    {
        if (entries.TryGetValue(identityId, out var entry) && entry.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            entries.TryRemove(new KeyValuePair<string, StoredBlob>(identityId, entry));
            entry = null;
        }

        return Task.FromResult(entry);
    }

    public Task SetAsync(string identityId, byte[] blob, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (entries.Count >= options.InMemoryMaxEntries && !entries.ContainsKey(identityId))
        {
            Evict(now);
        }

        entries[identityId] = new StoredBlob(blob.ToArray(), timeToLive is { } ttl ? now + ttl : null);
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string identityId, CancellationToken cancellationToken) =>
        Task.FromResult(entries.TryRemove(identityId, out _));

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Drops expired entries, then the ones closest to expiry, until a tenth of the room is free.</summary>
    private void Evict(DateTimeOffset now)
    {
        var victims = entries
            .OrderBy(e => e.Value.ExpiresAt ?? DateTimeOffset.MaxValue)
            .TakeWhile((e, i) => e.Value.ExpiresAt <= now || i < Math.Max(1, options.InMemoryMaxEntries / 10))
            .Select(e => e.Key)
            .ToList();
        foreach (var key in victims)
        {
            entries.TryRemove(key, out _);
        }
    }
}
