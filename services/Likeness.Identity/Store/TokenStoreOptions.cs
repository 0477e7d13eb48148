namespace Likeness.Identity.Store;

/// <summary>Where and for how long identity tokens are kept. Bound from the <c>TokenStore</c> section.</summary>
public sealed class TokenStoreOptions
{
    /// <summary>How long an identity lives after it is written; zero keeps it until deleted. Default 7 days.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Prefix of every Redis key. Default <c>likeness:identity:</c>.</summary>
    public string KeyPrefix { get; set; } = "likeness:identity:";

    /// <summary>Entries the in-memory store holds before it evicts the oldest. Default 10000.</summary>
    public int InMemoryMaxEntries { get; set; } = 10_000;

    /// <summary>Redis connect and operation timeout. Default 2 seconds.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
