using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Likeness.Media;

/// <summary>
/// The clip a person watches: the frames scaled up by a whole factor (nearest neighbour, so small frames stay sharp)
/// to about <see cref="WatchSide"/> pixels, as H.264 MP4 through ffmpeg or as an animated GIF.
/// </summary>
public static class ClipFile
{
    /// <summary>Longest side, in pixels, that frames are scaled up towards.</summary>
    public const int WatchSide = 256;

    /// <param name="frames">Interleaved RGB8 frames of <paramref name="width"/>×<paramref name="height"/>, in order.</param>
    /// <returns>The path written.</returns>
    /// <exception cref="IOException"><see cref="ClipKind.Mp4"/> was asked for and ffmpeg is missing or failed.</exception>
    public static async Task<string> WriteAsync(string directory, ClipKind kind, IReadOnlyList<byte[]> frames, int width, int height, int fps)
    {
        var factor = Math.Max(1, WatchSide / Math.Max(width, height));
        if (kind != ClipKind.Gif)
        {
            var mp4 = Path.Combine(directory, "clip.mp4");
            var problem = await TryFfmpegAsync(mp4, frames, width, height, fps, factor);
            if (problem is null)
            {
                return mp4;
            }

            if (kind == ClipKind.Mp4)
            {
                throw new IOException($"Writing {mp4} failed: {problem}");
            }
        }

        var gif = Path.Combine(directory, "clip.gif");
        var scaled = frames.Select(frame => FrameImages.Upscale(frame, width, height, factor)).ToList();
        await File.WriteAllBytesAsync(gif, AnimatedGif.Encode(scaled, width * factor, height * factor, fps));
        return gif;
    }

    /// <returns>Null when the MP4 was written, else why not.</returns>
    private static async Task<string?> TryFfmpegAsync(string path, IReadOnlyList<byte[]> frames, int width, int height, int fps, int factor)
    {
        var start = new ProcessStartInfo("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{width}x{height}", "-r", fps.ToString(CultureInfo.InvariantCulture), "-i", "-",
            "-vf", $"scale=iw*{factor}:ih*{factor}:flags=neighbor,pad=ceil(iw/2)*2:ceil(ih/2)*2",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path,
        ])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return "ffmpeg is not installed";
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync();
            try
            {
                foreach (var frame in frames)
                {
                    await process.StandardInput.BaseStream.WriteAsync(frame);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // ffmpeg stopped reading; its exit code and stderr say why.
            }

            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? null : $"ffmpeg exited with {process.ExitCode}: {(await errors).Trim()}";
        }
    }
}
