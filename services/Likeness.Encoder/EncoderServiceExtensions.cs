using Grpc.AspNetCore.Server;
using Likeness.Encoder.Grpc;
using Likeness.Identity;
using Likeness.Identity.Images;
using Likeness.Identity.Store;
using Likeness.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Likeness.Encoder;

/// <summary>Composition of the identity encoder, for its own host and for the embedded single-process host.</summary>
public static class EncoderServiceExtensions
{
    /// <summary>Port the encoder listens on when no URL is configured.</summary>
    public const int DefaultPort = 5001;

    /// <summary>Room for protobuf framing around the largest allowed set of references.</summary>
    private const int MessageOverheadBytes = 1024 * 1024;

    /// <summary>
    /// The per-principal quota <c>EncodeIdentity</c> and <c>ScoreConsistency</c> draw on (<c>Quotas:Encodes</c>): 120 a
    /// minute, 30 at once by default.
    /// </summary>
    public const string EncodesQuota = "Encodes";

    /// <summary>The token store, the identity domain and the gRPC service's own message limit.</summary>
    public static IServiceCollection AddIdentityEncoder(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTokenStore(configuration).AddIdentityEncoding();
        services.AddGrpc();
        var encoder = Contracts.Identity.V1.IdentityEncoder.Descriptor.FullName;
        services.AddCallerQuota(EncodesQuota, perMinute: 120, burst: 30, $"/{encoder}/EncodeIdentity", $"/{encoder}/ScoreConsistency");
        services.AddOptions<GrpcServiceOptions<IdentityEncoderService>>()
            .Configure<IOptions<ReferenceImageOptions>>((grpc, references) =>
                grpc.MaxReceiveMessageSize = MaxRequestBytes(references.Value));
        return services;
    }

    /// <summary>The IdentityEncoder service, over gRPC and gRPC-Web (the preview page encodes reference photos through it).</summary>
    public static IEndpointRouteBuilder MapIdentityEncoder(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<IdentityEncoderService>().EnableGrpcWeb();
        return endpoints;
    }

    private const string BrowserPolicy = "preview-page";

    /// <summary>Configuration key of the page origins the standalone encoder's browser endpoint answers (CORS), separated by ';'.</summary>
    public const string BrowserOriginsKey = "EncoderBrowserOrigins";

    /// <summary>The standalone generator's preview page, the one origin allowed unless <see cref="BrowserOriginsKey"/> says otherwise.</summary>
    public const string DefaultBrowserOrigin = "http://127.0.0.1:5082";

    /// <summary>
    /// CORS for the standalone encoder's browser endpoint, which a separate generator's preview page (another origin)
    /// calls: only the configured page origins, so no other web page open in the user's browser can encode or delete
    /// identities on an encoder left open (Auth:Mode=None); the gRPC trailers gRPC-Web carries as headers are exposed to
    /// the page's script.
    /// </summary>
    public static IServiceCollection AddEncoderBrowserAccess(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = (configuration[BrowserOriginsKey] ?? DefaultBrowserOrigin)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return services.AddCors(cors => cors.AddPolicy(BrowserPolicy, policy => policy
            .WithOrigins(origins).AllowAnyHeader().WithMethods("POST")
            .WithExposedHeaders("grpc-status", "grpc-message", "grpc-status-details-bin")));
    }

    /// <summary>gRPC-Web and CORS, before the encoder's endpoints are mapped: the standalone encoder's part of <c>AddEncoderBrowserAccess</c>.</summary>
    public static WebApplication UseEncoderBrowserAccess(this WebApplication app)
    {
        app.UseCors(BrowserPolicy);
        app.UseGrpcWeb();
        return app;
    }

    /// <summary>Largest EncodeIdentity request accepted: every reference at its byte limit, plus framing.</summary>
    internal static int MaxRequestBytes(ReferenceImageOptions references) =>
        checked((references.MaxReferences * references.MaxReferenceBytes) + MessageOverheadBytes);
}
