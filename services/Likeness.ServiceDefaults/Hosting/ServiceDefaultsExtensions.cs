using Grpc.AspNetCore.Server;
using Likeness.ServiceDefaults.Grpc;
using Likeness.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Likeness.ServiceDefaults.Hosting;

public static class ServiceDefaultsExtensions
{
    /// <summary>gRPC health service name that reports liveness only: SERVING while the process runs.</summary>
    public const string LivenessService = "liveness";

    /// <summary>Largest message any service sends or, unless it raises its own limit, receives. 4 MiB.</summary>
    public const int DefaultMaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>Configuration key of the extra HTTP/1.1 endpoint for browsers (gRPC-Web and pages); empty turns it off.</summary>
    public const string BrowserUrlKey = "BrowserUrl";

    /// <summary>
    /// The standalone encoder's browser endpoint key (its own, since the two services share settings in a cluster): where
    /// the preview page of a separate generator encodes reference photos over gRPC-Web.
    /// </summary>
    public const string EncoderBrowserUrlKey = "EncoderBrowserUrl";

    /// <summary>The standalone encoder's browser port when <see cref="EncoderBrowserUrlKey"/> is not configured.</summary>
    public const int EncoderBrowserPort = 5081;

    /// <summary>
    /// Kestrel on cleartext HTTP/2 at <c>http://127.0.0.1:{defaultPort}</c> unless <c>--urls</c> / <c>ASPNETCORE_URLS</c>
    /// say otherwise; gRPC with explicit message limits and domain-error mapping; health and reflection; single-line logs.
    /// </summary>
    /// <param name="defaultBrowserPort">
    /// Where browsers connect unless <see cref="BrowserUrlKey"/> says otherwise: an HTTP/1.1 endpoint on loopback, since
    /// browsers cannot speak cleartext HTTP/2 and Kestrel cannot serve both on one cleartext port. Null: the host serves
    /// no browsers, whatever <paramref name="browserUrlKey"/> says.
    /// </param>
    /// <param name="browserUrlKey">The configuration key of the browser endpoint: <see cref="BrowserUrlKey"/> or <see cref="EncoderBrowserUrlKey"/>.</param>
    public static IGrpcServerBuilder AddServiceDefaults(this WebApplicationBuilder builder, int defaultPort, int? defaultBrowserPort = null, string browserUrlKey = BrowserUrlKey)
    {
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured : $"http://127.0.0.1:{defaultPort}";
        var browserUrl = defaultBrowserPort is { } port ? builder.Configuration[browserUrlKey] ?? $"http://127.0.0.1:{port}" : "";
        var browserPort = BrowserPort(browserUrl, urls, browserUrlKey);
        builder.Configuration[browserUrlKey] = browserUrl; // the default too, so what maps browser endpoints can announce it
        builder.WebHost.UseUrls(browserPort is null ? urls : $"{urls};{browserUrl}");

        // gRPC clients speak cleartext HTTP/2 without TLS negotiation, so those endpoints are HTTP/2 only; the browser's is HTTP/1.1.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint =>
            endpoint.Protocols = browserPort is not null && endpoint.IPEndPoint?.Port == browserPort ? HttpProtocols.Http1 : HttpProtocols.Http2));
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        // A not-ready dependency is reported through grpc.health.v1 (and so to Kubernetes); an error line per probe is noise.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        // How long in-flight calls may drain after SIGTERM; the generator ends its running job a little earlier.
        var shutdownTimeout = builder.Configuration.GetValue("ShutdownTimeout", TimeSpan.FromSeconds(30));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = shutdownTimeout);

        builder.AddCallerSecurity();
        builder.Services.AddGrpcReflection();
        builder.Services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy(), tags: ["live"])
            .AddCheck<ShutdownHealthCheck>("accepting-work", tags: ["ready"]);
        AddMetrics(builder);
        builder.Services.AddGrpcHealthChecks(health =>
        {
            health.Services.Map("", check => check.Tags.Contains("ready"));
            health.Services.Map(LivenessService, check => check.Tags.Contains("live"));
            // Answer each Check from the checks themselves, so readiness follows Redis without a publishing delay.
            health.UseHealthChecksCache = false;
        });
        return builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = DefaultMaxMessageBytes;
            grpc.MaxSendMessageSize = DefaultMaxMessageBytes;
            grpc.Interceptors.Add<CallerInterceptor>();
            grpc.Interceptors.Add<LikenessExceptionInterceptor>();
        });
    }

    /// <summary>
    /// OpenTelemetry metrics from the Likeness meters, ASP.NET Core and Kestrel, exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OpenTelemetry variables configure the rest).
    /// </summary>
    private static void AddMetrics(WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(MeterNames.ToArray())
                .AddOtlpExporter());
    }

    /// <summary>Meters every Likeness host exports.</summary>
    public static IReadOnlyList<string> MeterNames { get; } =
        ["Likeness.Identity", "Likeness.Generation", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <returns>The browser endpoint's port, or null when there is none.</returns>
    /// <exception cref="InvalidOperationException">The URL has no fixed port of its own, or shares one with the gRPC URLs.</exception>
    private static int? BrowserPort(string browserUrl, string grpcUrls, string browserUrlKey)
    {
        if (browserUrl.Length == 0)
        {
            return null;
        }

        var grpcPorts = grpcUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => BindingAddress.Parse(url).Port);
        var port = BindingAddress.Parse(browserUrl).Port;
        return port == 0 || grpcPorts.Contains(port)
            ? throw new InvalidOperationException($"{browserUrlKey} '{browserUrl}' needs a fixed port of its own: protocols are chosen per port.")
            : port;
    }

    /// <summary>Maps <c>grpc.health.v1.Health</c> (open to every caller, for probes) and, unless turned off, server reflection.</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.Services.LoadCallerCredentials();
        app.MapGrpcHealthChecksService().AllowAnonymous();
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (auth.AllowReflection)
        {
            app.MapGrpcReflectionService();
        }

        if (auth.Mode == AuthMode.None)
        {
            app.Lifetime.ApplicationStarted.Register(() => WarnWhenOpenBeyondLoopback(app));
        }

        return app;
    }

    private static void WarnWhenOpenBeyondLoopback(WebApplication app)
    {
        var urls = app.Urls.ToList();
        if (urls.Any(url => BindingAddress.Parse(url).Host is not ("127.0.0.1" or "localhost" or "[::1]" or "::1")))
        {
            SecurityLog.OpenBeyondLoopback(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<AuthOptions>(), string.Join(";", urls));
        }
    }
}
