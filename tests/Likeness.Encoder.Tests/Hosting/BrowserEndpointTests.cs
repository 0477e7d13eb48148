using Likeness.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Likeness.Encoder.Tests.Hosting;

public sealed class BrowserEndpointTests
{
    [Fact]
    public async Task Encoder_GivenTheGeneratorsBrowserUrl_OpensNoBrowserEndpoint()
    {
        // In k8s one ConfigMap carries both services' settings; the encoder serves no browsers and must not bind the port.
        await using var encoder = await RunningHost.StartEncoderAsync($"--BrowserUrl=http://127.0.0.1:{LoopbackPorts.Free()}");

        var addresses = encoder.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;

        Assert.Equal([encoder.Address.ToString().TrimEnd('/')], addresses.Select(a => a.TrimEnd('/')));
    }
}
