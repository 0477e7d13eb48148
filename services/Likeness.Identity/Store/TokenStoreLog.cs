using Microsoft.Extensions.Logging;

namespace Likeness.Identity.Store;

internal static partial class TokenStoreLog
{
    [LoggerMessage(120, LogLevel.Information, "Identity tokens are stored in {Store}")]
    public static partial void Using(ILogger logger, string store);
}
