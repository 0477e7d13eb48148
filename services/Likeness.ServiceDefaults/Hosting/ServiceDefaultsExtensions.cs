using Grpc.AspNetCore.Server;
using Likeness.ServiceDefaults.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Likeness.ServiceDefaults.Hosting;

public static class ServiceDefaultsExtensions
{
    /// <summary>gRPC health service name that reports liveness only: SERVING while the process runs.</summary>
    public const string LivenessService = "liveness";

    /// <summary>Largest message any service sends or, unless it raises its own limit, receives. 4 MiB.</summary>
    public const int DefaultMaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Kestrel on cleartext HTTP/2 at <c>http://127.0.0.1:{defaultPort}</c> unless <c>--urls</c> / <c>ASPNETCORE_URLS</c>
    /// say otherwise; gRPC with explicit message limits and domain-error mapping; health and reflection; single-line logs.
    /// </summary>
    public static IGrpcServerBuilder AddServiceDefaults(this WebApplicationBuilder builder, int defaultPort)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{defaultPort}");
        }

        // Clients speak gRPC over cleartext HTTP/2 without TLS negotiation, so every endpoint is HTTP/2 only.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
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

    /// <summary>Maps <c>grpc.health.v1.Health</c> and server reflection.</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
