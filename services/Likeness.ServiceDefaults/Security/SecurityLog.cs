using Microsoft.Extensions.Logging;

namespace Likeness.ServiceDefaults.Security;

/// <summary>What authentication and quotas log: principals and reasons, never a credential.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(400, LogLevel.Information, "Loaded {Count} API key(s) from {Path}")]
    public static partial void ApiKeysLoaded(ILogger logger, int count, string path);

    [LoggerMessage(401, LogLevel.Warning, "Could not re-read the API keys file {Path}; the keys read before stay in force: {Problem}")]
    public static partial void ApiKeysUnreadable(ILogger logger, string path, string problem);

    [LoggerMessage(402, LogLevel.Information, "Refused {Method}: {Reason}")]
    public static partial void Unauthenticated(ILogger logger, string method, string reason);

    [LoggerMessage(403, LogLevel.Information, "Principal {Principal} is over its {Quota} quota; {Method} refused, retry after {RetryAfter}")]
    public static partial void OverQuota(ILogger logger, string principal, string quota, string method, TimeSpan retryAfter);

    [LoggerMessage(404, LogLevel.Warning, "Auth:Mode is None and the service listens beyond loopback ({Urls}): anyone who reaches it may use it and watch or cancel any job")]
    public static partial void OpenBeyondLoopback(ILogger logger, string urls);
}
