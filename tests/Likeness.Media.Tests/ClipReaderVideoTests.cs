using System.Diagnostics;
using SkiaSharp;

namespace Likeness.Media.Tests;

/// <summary><see cref="ClipReader"/> on video files through a real ffmpeg (on PATH; test.sh installs it).</summary>
public sealed class ClipReaderVideoTests
{
    [Fact]
    public async Task ReadAsync_Video_EveryFrameAtItsOwnSize()
    {
        var video = await VideoAsync(320, 240, frames: 12, colour: "red");
        try
        {
            var frames = await ClipReaderUnitTests.ReadAllAsync(video);

            Assert.Equal(12, frames.Count);
            Assert.All(frames, frame =>
            {
                using var bitmap = SKBitmap.Decode(frame);
                Assert.Equal((320, 240), (bitmap.Width, bitmap.Height));
                var centre = bitmap.GetPixel(160, 120);
                Assert.True(centre.Red > 200 && centre.Green < 60 && centre.Blue < 60, centre.ToString());
            });
        }
        finally
        {
            File.Delete(video);
        }
    }

    [Fact]
    public async Task ReadAsync_VideoWithMaxFrames_StopsThere_AndShrinksAFrameWiderThan2048()
    {
        var video = await VideoAsync(3000, 1000, frames: 10, colour: "blue");
        try
        {
            var frames = await ClipReaderUnitTests.ReadAllAsync(video, maxFrames: 4);

            Assert.Equal(4, frames.Count);
            Assert.All(frames, frame =>
            {
                using var bitmap = SKBitmap.Decode(frame);
                Assert.Equal(ClipReader.MaxVideoSide, bitmap.Width);
                Assert.InRange(bitmap.Height, 682, 683); // 1000 × 2048 / 3000, the aspect kept
            });
        }
        finally
        {
            File.Delete(video);
        }
    }

    [Fact]
    public async Task ReadAsync_FileThatIsNoVideo_ExplainsWithFfmpegsWords()
    {
        var path = Path.Combine(Path.GetTempPath(), $"likeness-clip-test-{Guid.NewGuid():N}.mp4");
        await File.WriteAllTextAsync(path, "not a video");
        try
        {
            var problem = await Assert.ThrowsAsync<IOException>(() => ClipReaderUnitTests.ReadAllAsync(path));

            Assert.Contains("ffmpeg cannot read", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A lossless FFV1 video of solid <paramref name="colour"/> frames, made by ffmpeg.</summary>
    private static async Task<string> VideoAsync(int width, int height, int frames, string colour)
    {
        var path = Path.Combine(Path.GetTempPath(), $"likeness-clip-test-{Guid.NewGuid():N}.mkv");
        var start = new ProcessStartInfo("ffmpeg",
        [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"color=c={colour}:s={width}x{height}:r=10",
            "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "ffv1", path,
        ])
        {
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);
        return path;
    }
}
