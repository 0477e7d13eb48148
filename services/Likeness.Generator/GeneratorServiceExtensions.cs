using Likeness.Generation.Hosting;
using Likeness.Generator.Grpc;
using Likeness.Identity.Store;

namespace Likeness.Generator;

/// <summary>Composition of the generator, for its own host and for the embedded single-process host.</summary>
public static class GeneratorServiceExtensions
{
    /// <summary>Port the generator listens on when no URL is configured.</summary>
    public const int DefaultPort = 5002;

    public static IServiceCollection AddGenerator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTokenStore(configuration).AddGeneration();
        services.AddGrpc();
        return services;
    }

    public static IEndpointRouteBuilder MapGenerator(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<GeneratorService>();
        return endpoints;
    }
}
