namespace Likeness.Testing.Faults;

/// <summary>How hard a fault run drives the services and which faults it injects, and when.</summary>
public sealed record FaultSettings
{
    /// <summary>Client tasks, each encoding, reading tokens and generating in a loop.</summary>
    public int Clients { get; init; } = 8;

    /// <summary>How long the clients drive load (start-up, the final check and shutdown come on top).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Period of the Redis SIGKILL; the first comes at a third of it. Zero: Redis is never killed.</summary>
    public TimeSpan RedisKillEvery { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How long Redis stays down before it is started again on the same port.</summary>
    public TimeSpan RedisDownFor { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Redis with an append-only file fsynced on every write (identities survive a kill) instead of none.</summary>
    public bool RedisPersistence { get; init; }

    /// <summary>Period of the generator's SIGTERM and restart; the first comes at two thirds of it. Zero: never.</summary>
    public TimeSpan SigtermEvery { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Share of Generate calls whose client goes away after the first step event.</summary>
    public double DropShare { get; init; } = 0.2;

    /// <summary>Distinct drawn faces the clients encode (a few with two references), so hits and misses mix.</summary>
    public int Faces { get; init; } = 12;

    /// <summary>Denoising steps per generation (4 frames of 32×32 on the tiny seeded video model).</summary>
    public int Steps { get; init; } = 8;

    /// <summary>Recovery target: Redis back to the first successful encode.</summary>
    public TimeSpan RecoveryTarget { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Resident memory may grow at most this share from start to end (checked on runs of 5 minutes or more).</summary>
    public double RssGrowthLimit { get; init; } = 0.10;

    /// <summary>Seed of the clients' choices.</summary>
    public int Seed { get; init; } = 1;
}
