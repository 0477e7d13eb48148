using System.Text.RegularExpressions;
using Grpc.Core;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;
using Likeness.Testing;

namespace Likeness.Clients.Tests.PreviewPage;

/// <summary>
/// The live preview page in real headless Chromium (Debian's, driven by playwright-core): encode an uploaded reference
/// photo at the standalone encoder, start a job for two characters (one region drawn, one framed by default) with a seed
/// and see previews stream, the clip play and what each character was run with, attach from a link, attach to a job of
/// raw RGB8 frames, cancel from the page, see a refused call's status name; signed in with a pasted token, and refused
/// without one. Screenshots of the finished clip and of a job mid-run are kept under <c>out/test-artifacts/</c>.
/// </summary>
public sealed class PreviewPageTests(SeparateServices services) : IClassFixture<SeparateServices>
{
    [Fact]
    public async Task PreviewPage_EncodesCastsAndStartsAJob_PlaysPngAndRgb8Clips_AttachesCancelsAndShowsStatusNames()
    {
        var identity = await services.Encoder.EncodeFaceAsync(9);
        var reference = SeparateServices.FaceFile(4);
        var rgb8Job = await GenerateRgb8JobAsync(identity);
        var screenshot = Repository.PathOf("out/test-artifacts/preview-page.png");
        var running = Repository.PathOf("out/test-artifacts/preview-page-running.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        File.Delete(running);

        using var browser = await ChildProcess.RunAsync("node",
            [Repository.PathOf("tests/clients/node/preview-page-check.mjs"), "--url", services.Generator.BrowserAddress!.ToString(),
             "--identity", identity, "--reference", reference, "--rgb8-job", rgb8Job, "--token", services.Token,
             "--screenshot", screenshot, "--running-screenshot", running],
            TimeSpan.FromMinutes(4));
        File.Delete(reference);

        Assert.True(browser.ExitCode == 0, browser.ToString());
        // The page's identity is the one the encoder gives the same photo over gRPC: the same bytes reached it.
        var encoded = Regex.Match(browser.Output, "encoded ([0-9a-f]{32}) from the page");
        Assert.True(encoded.Success, browser.Output);
        Assert.Equal(await services.Encoder.EncodeFaceAsync(4), encoded.Groups[1].Value);
        Assert.Matches(@"cast as run: 1\. \w+…  strength 0\.80  region [0-9.,]+ \| 2\. \w+…  strength 0\.70  region [0-9.,]+ \(default framing\)", browser.Output);
        Assert.Matches(@"started job_\w+: \d+ previews, clip playing", browser.Output);
        Assert.Matches(@"long clip job_\w+: playing with \d+ frames while running, then all 48", browser.Output);
        Assert.Contains("from a link", browser.Output, StringComparison.Ordinal);
        Assert.Contains($"rgb8 {rgb8Job}: clip playing", browser.Output, StringComparison.Ordinal);
        Assert.Matches(@"running: job_\w+: step \d+/1000, \d+ ms/step", browser.Output);
        Assert.Contains("from the page (state cancelled)", browser.Output, StringComparison.Ordinal);
        Assert.Contains($"unknown identity: NOT_FOUND: Identity {new string('0', 32)} does not exist", browser.Output, StringComparison.Ordinal);
        Assert.Contains("encode signed out: UNAUTHENTICATED: ", browser.Output, StringComparison.Ordinal);
        Assert.Contains("signed out: UNAUTHENTICATED", browser.Output, StringComparison.Ordinal);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(screenshot))[..4]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(running))[..4]);
    }

    /// <summary>A finished job whose frames are raw RGB8, as the command line asks for them; returns its id.</summary>
    private async Task<string> GenerateRgb8JobAsync(string identity)
    {
        using var call = services.Generator.Generator.Generate(new GenerateRequest
        {
            Characters = { new Character { IdentityId = identity } },
            Steps = 4,
            FrameFormat = FrameFormat.Rgb8,
        });
        var jobId = "";
        var frames = 0;
        await foreach (var e in call.ResponseStream.ReadAllAsync())
        {
            jobId = e.JobId;
            if (e.EventCase == JobEvent.EventOneofCase.Frame)
            {
                Assert.Equal(ImageFormat.Rgb8, e.Frame.Image.Format);
                frames++;
            }
        }

        Assert.True(frames > 0, $"{jobId} sent no frames");
        return jobId;
    }
}
