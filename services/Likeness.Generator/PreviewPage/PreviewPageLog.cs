namespace Likeness.Generator.PreviewPage;

internal static partial class PreviewPageLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Live preview page (and gRPC-Web) at {Url}")]
    public static partial void Serving(ILogger logger, string url);
}
