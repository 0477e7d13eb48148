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

    [Fact]
    public async Task Encoder_OnItsOwnBrowserEndpoint_ServesGrpcWebToThePreviewPagesOriginOnly()
    {
        await using var encoder = await RunningHost.StartEncoderAsync($"--EncoderBrowserUrl=http://127.0.0.1:{LoopbackPorts.Free()}");
        using var http = new HttpClient { BaseAddress = encoder.BrowserAddress };
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/likeness.identity.v1.IdentityEncoder/DescribeEncoder");
        preflight.Headers.Add("Origin", "http://127.0.0.1:5082");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-grpc-web,authorization");
        using var call = new HttpRequestMessage(HttpMethod.Post, "/likeness.identity.v1.IdentityEncoder/DescribeEncoder")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]), // one empty message, gRPC-Web framed
        };
        call.Content.Headers.ContentType = new("application/grpc-web+proto");
        call.Headers.Add("Origin", "http://127.0.0.1:5082");

        using var stranger = new HttpRequestMessage(HttpMethod.Options, "/likeness.identity.v1.IdentityEncoder/DeleteIdentity");
        stranger.Headers.Add("Origin", "http://evil.example");
        stranger.Headers.Add("Access-Control-Request-Method", "POST");

        using var allowed = await http.SendAsync(preflight);
        using var refused = await http.SendAsync(stranger);
        using var answered = await http.SendAsync(call);

        Assert.True(allowed.Headers.TryGetValues("Access-Control-Allow-Origin", out var origins), $"{allowed.StatusCode} {allowed.Headers}");
        Assert.Equal("http://127.0.0.1:5082", origins.Single());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"), "a page of another origin may not call the encoder");
        Assert.Equal(System.Net.HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("0", answered.Headers.TryGetValues("grpc-status", out var status) ? status.Single() : TrailerStatus(await answered.Content.ReadAsByteArrayAsync()));
        Assert.Contains("grpc-status", answered.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
    }

    /// <summary>grpc-status from a gRPC-Web body's trailer frame (flag 0x80), for a server that sends it there.</summary>
    private static string TrailerStatus(byte[] body)
    {
        var text = System.Text.Encoding.ASCII.GetString(body);
        var at = text.IndexOf("grpc-status:", StringComparison.Ordinal);
        return at < 0 ? "(none)" : text[(at + "grpc-status:".Length)..].Split('\r')[0].Trim();
    }
}
