namespace Likeness.Identity.Store;

/// <summary>Where identity token blobs live between encoding and generation.</summary>
/// <remarks>
/// Writes are atomic: a reader sees a whole blob or none. Failures to reach the backing store surface as
/// <see cref="Core.Errors.LikenessException"/> of kind Unavailable.
/// </remarks>
public interface ITokenStore
{
    /// <summary>Human-readable kind, for logs and health output.</summary>
    string Description { get; }

    Task<StoredBlob?> GetAsync(string identityId, CancellationToken cancellationToken);

    /// <param name="timeToLive">Null keeps the entry until deleted.</param>
    Task SetAsync(string identityId, byte[] blob, TimeSpan? timeToLive, CancellationToken cancellationToken);

    /// <returns>False when there was nothing to delete.</returns>
    Task<bool> DeleteAsync(string identityId, CancellationToken cancellationToken);

    /// <summary>Throws Unavailable when the store cannot serve requests now.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}

/// <summary>A stored blob and when the store drops it (null: never).</summary>
public sealed record StoredBlob(byte[] Data, DateTimeOffset? ExpiresAt);
