using Microsoft.Extensions.Logging;

namespace Likeness.Identity;

/// <summary>
/// Every log event of the identity side, in one table: 100–109 models, 110–119 encoding, 120–129 the token store. Ids
/// are stable (dashboards and alerts key on them) and unique across Likeness (a test checks).
/// </summary>
internal static partial class IdentityLog
{
    [LoggerMessage(100, LogLevel.Information, "Identity model {ModelId} loaded on {Device} (untrained: {Untrained}; libstdc++ workaround: {Patched})")]
    public static partial void IdentityModelLoaded(ILogger logger, string modelId, bool untrained, string device, bool patched);

    [LoggerMessage(101, LogLevel.Critical, "The {Model} failed to load; stopping")]
    public static partial void ModelLoadFailed(ILogger logger, string model, Exception exception);

    [LoggerMessage(102, LogLevel.Warning, "The identity model runs from an untrained, seeded initialisation ({ModelId}): its tokens carry no learned identity")]
    public static partial void IdentityModelUntrained(ILogger logger, string modelId);

    [LoggerMessage(103, LogLevel.Information, "Photo face pipeline loaded: detector {Detector}, recogniser {Recogniser}")]
    public static partial void PhotoFacesLoaded(ILogger logger, string detector, string recogniser);

    [LoggerMessage(110, LogLevel.Information, "Encoded identity {IdentityId} from {References} references with {ModelId} in {ModelMilliseconds:0} ms")]
    public static partial void Encoded(ILogger logger, string identityId, int references, string modelId, double modelMilliseconds);

    [LoggerMessage(111, LogLevel.Debug, "Identity {IdentityId} served from the store ({References} references)")]
    public static partial void CacheHit(ILogger logger, string identityId, int references);

    [LoggerMessage(112, LogLevel.Information, "Deleted identity {IdentityId}")]
    public static partial void Deleted(ILogger logger, string identityId);

    [LoggerMessage(113, LogLevel.Warning, "Stored entry of identity {IdentityId} is unusable and is encoded again: {Reason}")]
    public static partial void CorruptEntryReplaced(ILogger logger, string identityId, string reason);

    [LoggerMessage(120, LogLevel.Information, "Identity tokens are stored in {Store}")]
    public static partial void TokenStoreChosen(ILogger logger, string store);
}
