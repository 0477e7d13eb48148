using Likeness.Generation;
using Likeness.Generator.Grpc;
using Likeness.Generator.PreviewPage;
using Likeness.Identity.Store;
using Likeness.ServiceDefaults.Hosting;
using Likeness.ServiceDefaults.Security;

namespace Likeness.Generator;

/// <summary>Composition of the generator, for its own host and for the embedded single-process host.</summary>
public static class GeneratorServiceExtensions
{
    /// <summary>Port the generator listens on when no URL is configured.</summary>
    public const int DefaultPort = 5002;

    /// <summary>Port of the browser endpoint (gRPC-Web and the preview page) when <c>BrowserUrl</c> is not configured.</summary>
    public const int DefaultBrowserPort = 5082;

    /// <summary>The per-principal quota <c>Generate</c> draws on (<c>Quotas:Generations</c>): 30 a minute, 10 at once by default.</summary>
    public const string GenerationsQuota = "Generations";

    public static IServiceCollection AddGenerator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTokenStore(configuration).AddGeneration();
        services.AddGrpc();
        services.AddCallerQuota(GenerationsQuota, perMinute: 30, burst: 10, $"/{Contracts.Generation.V1.Generator.Descriptor.FullName}/Generate");
        return services;
    }

    /// <summary>The Generator service, over gRPC and gRPC-Web (for browsers), and the live preview page.</summary>
    public static WebApplication MapGenerator(this WebApplication app)
    {
        app.UseGrpcWeb();
        app.MapGrpcService<GeneratorService>().EnableGrpcWeb();
        app.MapPreviewPage(app.Configuration[PreviewPageEndpoints.EncoderUrlKey] ?? "");
        if (app.Configuration[ServiceDefaultsExtensions.BrowserUrlKey] is { Length: > 0 } configured)
        {
            var browserUrl = configured.TrimEnd('/') + "/";
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PreviewPageEndpoints));
            app.Lifetime.ApplicationStarted.Register(() => PreviewPageLog.Serving(log, browserUrl));
        }

        return app;
    }
}
