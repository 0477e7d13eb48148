using Likeness.Testing;

namespace Likeness.Clients.Tests.PreviewPage;

/// <summary>
/// The live preview page in real headless Chromium (Debian's, driven by playwright-core): start a job and see previews
/// stream, watch the clip play, attach from a link, cancel from the page, see a refused call's status; signed in with
/// a pasted token, and refused without one. Screenshots of the finished clip and of a job mid-run are kept under
/// <c>out/test-artifacts/</c>.
/// </summary>
public sealed class PreviewPageTests(SeparateServices services) : IClassFixture<SeparateServices>
{
    [Fact]
    public async Task PreviewPage_StartsAJob_StreamsPreviews_PlaysTheClip_AttachesCancelsAndShowsErrors()
    {
        var identity = await services.Encoder.EncodeFaceAsync(9);
        var screenshot = Repository.PathOf("out/test-artifacts/preview-page.png");
        var running = Repository.PathOf("out/test-artifacts/preview-page-running.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        File.Delete(running);

        using var browser = await ChildProcess.RunAsync("node",
            [Repository.PathOf("tests/clients/node/preview-page-check.mjs"), "--url", services.Generator.BrowserAddress!.ToString(),
             "--identity", identity, "--token", services.Token, "--screenshot", screenshot, "--running-screenshot", running],
            TimeSpan.FromMinutes(4));

        Assert.True(browser.ExitCode == 0, browser.ToString());
        Assert.Matches(@"started job_\w+: \d+ previews, clip playing", browser.Output);
        Assert.Contains("from a link", browser.Output, StringComparison.Ordinal);
        Assert.Matches(@"running: job_\w+: step \d+/1000, \d+ ms/step", browser.Output);
        Assert.Contains("from the page (state cancelled)", browser.Output, StringComparison.Ordinal);
        Assert.Contains("unknown identity: error 5: ", browser.Output, StringComparison.Ordinal);  // NOT_FOUND
        Assert.Contains("signed out: UNAUTHENTICATED", browser.Output, StringComparison.Ordinal);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(screenshot))[..4]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(running))[..4]);
    }
}
