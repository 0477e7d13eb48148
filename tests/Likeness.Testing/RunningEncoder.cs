using Grpc.Health.V1;
using Grpc.Net.Client;
using Likeness.Contracts.Identity.V1;
using Likeness.Encoder;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Likeness.Testing;

/// <summary>The real encoder host on a free loopback port, with gRPC clients connected to it.</summary>
public sealed class RunningEncoder : IAsyncDisposable
{
    private readonly WebApplication app;

    private RunningEncoder(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 16 * 1024 * 1024 });
        Client = new IdentityEncoder.IdentityEncoderClient(Channel);
        Health = new Health.HealthClient(Channel);
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    public IdentityEncoder.IdentityEncoderClient Client { get; }

    public Health.HealthClient Health { get; }

    public IServiceProvider Services => app.Services;

    /// <param name="settings">Configuration as command-line pairs, e.g. <c>"--Redis:Configuration=127.0.0.1:6390"</c>.</param>
    public static async Task<RunningEncoder> StartAsync(params string[] settings)
    {
        var app = EncoderApp.Create(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. settings]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var encoder = new RunningEncoder(app, new Uri(address));
        await encoder.WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromSeconds(60));
        return encoder;
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

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
