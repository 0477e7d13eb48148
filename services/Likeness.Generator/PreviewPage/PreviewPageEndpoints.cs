namespace Likeness.Generator.PreviewPage;

/// <summary>
/// The live preview page: one static page and its script (built from <c>Script/</c> into <c>Site/preview.js</c>) that
/// starts or attaches to a job over gRPC-Web, shows the previews as they stream and then plays the clip. Served from the
/// assembly's embedded resources.
/// </summary>
public static class PreviewPageEndpoints
{
    private static readonly Dictionary<string, (string Resource, string ContentType)> Files = new(StringComparer.Ordinal)
    {
        ["/"] = ("PreviewPage/index.html", "text/html; charset=utf-8"),
        ["/preview.js"] = ("PreviewPage/preview.js", "text/javascript; charset=utf-8"),
    };

    public static IEndpointRouteBuilder MapPreviewPage(this IEndpointRouteBuilder endpoints)
    {
        foreach (var (path, (resource, contentType)) in Files)
        {
            endpoints.MapGet(path, () => Results.Stream(
                typeof(PreviewPageEndpoints).Assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"{resource} is not embedded."),
                contentType));
        }

        return endpoints;
    }
}
