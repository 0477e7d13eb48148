using System.Diagnostics;
using SkiaSharp;

namespace Likeness.Media;

/// <summary>
/// Reads the frames of a clip made by any video model, in order, as encoded images: a folder of PNG, JPEG or WebP
/// frames (sorted by name), an animated GIF (each frame composited as displayed, re-encoded as PNG), or a video file
/// that ffmpeg can read (every frame, as PNG).
/// </summary>
public static class ClipReader
{
    private static readonly string[] FrameExtensions = [".png", ".jpg", ".jpeg", ".webp"];

    /// <summary>The frames of <paramref name="path"/>, in order.</summary>
    /// <exception cref="FileNotFoundException">No such file or folder.</exception>
    /// <exception cref="IOException">A folder without frames, an unreadable GIF, or a video file without ffmpeg (or one ffmpeg cannot read).</exception>
    public static async Task<IReadOnlyList<byte[]>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path)
                .Where(f => FrameExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
            return files.Count > 0
                ? await Task.WhenAll(files.Select(f => File.ReadAllBytesAsync(f, cancellationToken)))
                : throw new IOException($"{path} holds no PNG, JPEG or WebP frames.");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist.", path);
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        return bytes.AsSpan().StartsWith("GIF8"u8) ? GifFrames(bytes, path) : await VideoFramesAsync(path, cancellationToken);
    }

    private static List<byte[]> GifFrames(byte[] gif, string path)
    {
        using var codec = SKCodec.Create(new SKMemoryStream(gif)) ?? throw new IOException($"{path} is not a readable GIF.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var count = Math.Max(1, codec.FrameCount);
        var decoded = new List<SKBitmap>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var bitmap = new SKBitmap(info);
                decoded.Add(bitmap);
                var required = count > 1 ? codec.FrameInfo[i].RequiredFrame : -1;
                if (required >= 0)
                {
                    decoded[required].CopyTo(bitmap);
                }

                var result = codec.GetPixels(info, bitmap.GetPixels(), new SKCodecOptions(i, required));
                if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
                {
                    throw new IOException($"{path}: frame {i} cannot be decoded ({result}).");
                }
            }

            return decoded.Select(b => b.Encode(SKEncodedImageFormat.Png, 100).ToArray()).ToList();
        }
        finally
        {
            decoded.ForEach(b => b.Dispose());
        }
    }

    private static async Task<IReadOnlyList<byte[]>> VideoFramesAsync(string path, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("likeness-clip-");
        try
        {
            var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-nostdin", "-loglevel", "error", "-i", path, "-fps_mode", "passthrough", Path.Combine(folder.FullName, "%06d.png") })
            {
                start.ArgumentList.Add(argument);
            }

            Process process;
            try
            {
                process = Process.Start(start) ?? throw new IOException("ffmpeg did not start.");
            }
            catch (System.ComponentModel.Win32Exception)
            {
                throw new IOException($"{path} is not a GIF or a folder of frames, and reading a video file needs ffmpeg on PATH, which is not installed.");
            }

            using (process)
            {
                var errors = process.StandardError.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
                if (process.ExitCode != 0)
                {
                    throw new IOException($"ffmpeg cannot read {path}: {(await errors).Trim()}");
                }
            }

            return await ReadAsync(folder.FullName, cancellationToken);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
