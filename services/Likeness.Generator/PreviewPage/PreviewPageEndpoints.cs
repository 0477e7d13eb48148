namespace Likeness.Generator.PreviewPage;

/// <summary>
/// The live preview page: one static page and its script (built from <c>Script/</c> into <c>Site/preview.js</c>) that
/// starts or attaches to a job over gRPC-Web, shows the previews as they stream and then plays the clip. Served from the
/// assembly's embedded resources.
/// </summary>
public static class PreviewPageEndpoints
{
    /// <summary>
    /// Where the page encodes reference photos (the encoder's gRPC-Web address): empty for the page's own origin (the
    /// embedded host serves both services there); the standalone generator's default is the standalone encoder's
    /// browser endpoint, <c>http://127.0.0.1:5081</c>.
    /// </summary>
    public const string EncoderUrlKey = "PreviewPage:EncoderUrl";

    private static readonly Dictionary<string, (string Resource, string ContentType)> Files = new(StringComparer.Ordinal)
    {
        ["/"] = ("PreviewPage/index.html", "text/html; charset=utf-8"),
        ["/preview.js"] = ("PreviewPage/preview.js", "text/javascript; charset=utf-8"),
    };

    /// <param name="encoderUrl">The encoder's gRPC-Web address the page is told, in <c>/settings.json</c>; empty: the page's origin.</param>
    public static IEndpointRouteBuilder MapPreviewPage(this IEndpointRouteBuilder endpoints, string encoderUrl)
    {
        endpoints.MapGet("/settings.json", () => Results.Json(new PageSettings(encoderUrl)));
        foreach (var (path, (resource, contentType)) in Files)
        {
            endpoints.MapGet(path, () => Results.Stream(
                typeof(PreviewPageEndpoints).Assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"{resource} is not embedded."),
                contentType));
        }

        return endpoints;
    }
}

/// <summary>What the page reads at start: where to encode reference photos.</summary>
/// <param name="EncoderUrl">The encoder's gRPC-Web base address; empty for the page's own origin.</param>
internal sealed record PageSettings(string EncoderUrl);
