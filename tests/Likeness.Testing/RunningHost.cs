using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Likeness.Contracts.Identity.V1;
using Likeness.Encoder;
using Likeness.Generator;
using Likeness.Host;
using Likeness.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Likeness.Testing;

/// <summary>A real Likeness host (encoder, generator) on a free loopback port, with gRPC clients connected to it.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    /// <summary>The seeded identity model (D = 768) instead of the shipped trained one, for tests of shapes and contracts.</summary>
    public static readonly string[] SeededIdentityModel = ["--IdentityModel:ManifestPath="];

    /// <summary>
    /// A seeded video model small enough for tests on two cores (width 64, two blocks), offering the sizes and frame
    /// counts its seeded shape supports, so tests can also ask for slow jobs.
    /// </summary>
    public static readonly string[] TinyVideoModel =
    [
        "--VideoModel:ManifestPath=", "--VideoModel:Width=64", "--VideoModel:Blocks=2",
        "--Generator:DefaultSize=32", "--Generator:Sizes:0=32", "--Generator:Sizes:1=64", "--Generator:FrameCounts:0=4", "--Generator:FrameCounts:1=8", "--Generator:FrameCounts:2=16",
    ];

    private readonly WebApplication app;

    private RunningHost(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 16 * 1024 * 1024 });
        var invoker = Channel.Intercept(WithToken);
        Client = new IdentityEncoder.IdentityEncoderClient(invoker);
        Generator = new Contracts.Generation.V1.Generator.GeneratorClient(invoker);
        Health = new Health.HealthClient(Channel);
    }

    public Uri Address { get; }

    /// <summary>
    /// A bearer token <see cref="Client"/> and <see cref="Generator"/> send with every call that carries no
    /// <c>authorization</c> of its own (for hosts started with authentication on); null sends none.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>The HTTP/1.1 endpoint for browsers (gRPC-Web, the preview page), when the test configured one.</summary>
    public Uri? BrowserAddress { get; private init; }

    public GrpcChannel Channel { get; }

    /// <summary>The identity encoder client (answers UNIMPLEMENTED on a generator-only host).</summary>
    public IdentityEncoder.IdentityEncoderClient Client { get; }

    /// <summary>The generator client (answers UNIMPLEMENTED on an encoder-only host).</summary>
    public Contracts.Generation.V1.Generator.GeneratorClient Generator { get; }

    public Health.HealthClient Health { get; }

    public IServiceProvider Services => app.Services;

    /// <param name="settings">Configuration as command-line pairs, e.g. <c>"--Redis:Configuration=127.0.0.1:6390"</c>.</param>
    public static Task<RunningHost> StartEncoderAsync(params string[] settings) => StartAsync(EncoderApp.Create, [.. SeededIdentityModel, .. settings]);

    public static Task<RunningHost> StartGeneratorAsync(params string[] settings) =>
        StartAsync(GeneratorApp.Create, [.. SeededIdentityModel, .. TinyVideoModel, .. settings]);

    /// <summary>Both services in one process, as the demo runs them, with the shipped trained models unless <paramref name="settings"/> say otherwise.</summary>
    public static Task<RunningHost> StartEmbeddedAsync(params string[] settings) => StartAsync(EmbeddedApp.Create, settings);

    private static async Task<RunningHost> StartAsync(Func<string[], WebApplication> create, string[] settings)
    {
        // No browser endpoint unless a test asks for one (on a free port): its default port is fixed.
        var app = create(["--urls=http://127.0.0.1:0", $"--{ServiceDefaultsExtensions.BrowserUrlKey}=", $"--{ServiceDefaultsExtensions.EncoderBrowserUrlKey}=",
            "--Logging:LogLevel:Default=Warning", .. settings]);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        // The generator's (or the embedded host's) browser endpoint, or the standalone encoder's: whichever it bound.
        var browser = new[] { ServiceDefaultsExtensions.BrowserUrlKey, ServiceDefaultsExtensions.EncoderBrowserUrlKey }
            .Select(key => app.Configuration[key]).Where(url => !string.IsNullOrEmpty(url)).Select(url => new Uri(url!))
            .FirstOrDefault(url => bound.Any(b => b.Port == url.Port));
        var address = bound.Single(a => a.Port != browser?.Port);
        var host = new RunningHost(app, address) { BrowserAddress = browser };
        await host.WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(60));
        return host;
    }

    private Metadata WithToken(Metadata metadata)
    {
        if (Token is { } token && metadata.Get("authorization") is null)
        {
            metadata.Add("authorization", $"Bearer {token}");
        }

        return metadata;
    }

    /// <summary>Encodes one drawn face (<see cref="TestImages.Face"/>) and returns its identity id.</summary>
    public async Task<string> EncodeFaceAsync(int face)
    {
        var request = new EncodeIdentityRequest();
        request.References.Add(new Contracts.Common.V1.Image { Data = Google.Protobuf.ByteString.CopyFrom(TestImages.Face(face)) });
        return (await Client.EncodeIdentityAsync(request)).Identity.IdentityId;
    }

    /// <summary>Polls grpc.health.v1 until the overall status is <paramref name="wanted"/>.</summary>
    public async Task WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus wanted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        HealthCheckResponse.Types.ServingStatus last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = (await Health.CheckAsync(new HealthCheckRequest())).Status;
            if (last == wanted)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Health stayed {last}, not {wanted}, for {timeout}.");
    }

    /// <summary>Stops the host as SIGTERM would (in-flight streams drain); the clients stay open to read what was sent.</summary>
    public Task StopAsync() => app.StopAsync();

    /// <summary>Stops the host as SIGTERM would (in-flight streams drain), then closes the clients.</summary>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        Channel.Dispose();
        await app.DisposeAsync();
    }
}
