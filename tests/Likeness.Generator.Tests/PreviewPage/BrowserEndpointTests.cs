using System.Net;
using Likeness.Contracts.Generation.V1;
using Likeness.Testing;

namespace Likeness.Generator.Tests.PreviewPage;

/// <summary>The generator's HTTP/1.1 endpoint for browsers beside its HTTP/2 gRPC endpoint.</summary>
public sealed class BrowserEndpointTests
{
    [Fact]
    public async Task BrowserEndpoint_ServesThePageOverHttp1_WhileGrpcStaysOnHttp2()
    {
        await using var generator = await RunningHost.StartGeneratorAsync($"--BrowserUrl=http://127.0.0.1:{LoopbackPorts.Free()}");
        using var browser = new HttpClient { BaseAddress = generator.BrowserAddress, DefaultRequestVersion = HttpVersion.Version11 };

        using var page = await browser.GetAsync("/");
        using var script = await browser.GetAsync("/preview.js");
        var model = await generator.Generator.DescribeModelAsync(new DescribeModelRequest());

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpVersion.Version11, page.Version);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Likeness — live preview", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(model.Model.ModelId);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}")]
    [InlineData("http://127.0.0.1:0")]
    public void BrowserUrl_SharingAGrpcPortOrWithoutAFixedOne_RefusesToStart(string browserUrl)
    {
        var port = LoopbackPorts.Free();

        var error = Assert.Throws<InvalidOperationException>(() =>
            GeneratorApp.Create([$"--urls=http://127.0.0.1:{port}", $"--BrowserUrl={string.Format(System.Globalization.CultureInfo.InvariantCulture, browserUrl, port)}"]));

        Assert.Contains("needs a fixed port of its own", error.Message, StringComparison.Ordinal);
    }
}
