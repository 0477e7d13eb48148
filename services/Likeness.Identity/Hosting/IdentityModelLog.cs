using Microsoft.Extensions.Logging;

namespace Likeness.Identity.Hosting;

internal static partial class IdentityModelLog
{
    [LoggerMessage(100, LogLevel.Information, "Identity model {ModelId} loaded on {Device} (untrained: {Untrained}; libstdc++ workaround: {Patched})")]
    public static partial void Loaded(ILogger logger, string modelId, bool untrained, string device, bool patched);

    [LoggerMessage(102, LogLevel.Warning, "The identity model runs from an untrained, seeded initialisation ({ModelId}): its tokens carry no learned identity")]
    public static partial void Untrained(ILogger logger, string modelId);
}
