using Microsoft.Extensions.Logging;

namespace Likeness.Identity.Encoder;

internal static partial class IdentityEncodingLog
{
    [LoggerMessage(110, LogLevel.Information, "Encoded identity {IdentityId} from {References} references with {ModelId} in {ModelMilliseconds:0} ms")]
    public static partial void Encoded(ILogger logger, string identityId, int references, string modelId, double modelMilliseconds);

    [LoggerMessage(111, LogLevel.Debug, "Identity {IdentityId} served from the store ({References} references)")]
    public static partial void CacheHit(ILogger logger, string identityId, int references);

    [LoggerMessage(112, LogLevel.Information, "Deleted identity {IdentityId}")]
    public static partial void Deleted(ILogger logger, string identityId);

    [LoggerMessage(113, LogLevel.Warning, "Stored entry of identity {IdentityId} is unusable and is encoded again: {Reason}")]
    public static partial void CorruptEntryReplaced(ILogger logger, string identityId, string reason);
}
