using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using SkiaSharp;

namespace Likeness.Media;

/// <summary>
/// Reads the frames of a clip made by any video model, in order and one at a time, as encoded images: a folder of PNG,
/// JPEG or WebP frames (sorted by name), an animated GIF (each frame composited as displayed, re-encoded as PNG), or a
/// video file that ffmpeg can read (each frame as PNG, shrunk to at most <see cref="MaxVideoSide"/> pixels).
/// </summary>
public static class ClipReader
{
    /// <summary>Longest side of a video frame; longer frames are shrunk to it (the encoder reads at most this many pixels).</summary>
    public const int MaxVideoSide = 2048;

    private static readonly string[] FrameExtensions = [".png", ".jpg", ".jpeg", ".webp"];

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// The first <paramref name="maxFrames"/> frames of <paramref name="path"/>, in order, each read or decoded only when
    /// asked for: at most one frame (and, for a GIF, the frames that compositing still needs) is held at a time.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file or folder.</exception>
    /// <exception cref="IOException">A folder without frames, an unreadable GIF, or a video file without ffmpeg (or one ffmpeg cannot read).</exception>
    public static async IAsyncEnumerable<byte[]> ReadAsync(
        string path, int maxFrames = int.MaxValue, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxFrames);
        var frames = Directory.Exists(path) ? FolderFrames(path, maxFrames, cancellationToken)
            : !File.Exists(path) ? throw new FileNotFoundException($"{path} does not exist.", path)
            : await IsGifAsync(path, cancellationToken) ? GifFrames(path, maxFrames, cancellationToken)
            : VideoFrames(path, maxFrames, cancellationToken);
        await foreach (var frame in frames)
        {
            yield return frame;
        }
    }

    private static async IAsyncEnumerable<byte[]> FolderFrames(string path, int maxFrames, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(path)
            .Where(f => FrameExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new IOException($"{path} holds no PNG, JPEG or WebP frames.");
        }

        foreach (var file in files.Take(maxFrames))
        {
            yield return await File.ReadAllBytesAsync(file, cancellationToken);
        }
    }

    private static async Task<bool> IsGifAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var head = new byte[4];
        return await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken) == head.Length && head.AsSpan().SequenceEqual("GIF8"u8);
    }

    /// <remarks>
    /// A GIF frame may be drawn over an earlier one (its required frame); an earlier frame's pixels are kept only until
    /// the last frame that builds on it.
    /// </remarks>
    private static async IAsyncEnumerable<byte[]> GifFrames(string path, int maxFrames, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var gif = await File.ReadAllBytesAsync(path, cancellationToken); // compressed; the decoded frames are what is large
        using var codec = SKCodec.Create(new SKMemoryStream(gif)) ?? throw new IOException($"{path} is not a readable GIF.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var count = Math.Min(maxFrames, Math.Max(1, codec.FrameCount));
        var required = Enumerable.Range(0, count).Select(i => codec.FrameCount > 1 ? codec.FrameInfo[i].RequiredFrame : -1).ToArray();
        var lastUse = new int[count];
        Array.Fill(lastUse, -1);
        for (var i = 0; i < count; i++)
        {
            if (required[i] >= 0)
            {
                lastUse[required[i]] = i;
            }
        }

        var kept = new Dictionary<int, SKBitmap>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var bitmap = new SKBitmap(info);
                try
                {
                    if (required[i] >= 0)
                    {
                        kept[required[i]].CopyTo(bitmap);
                    }

                    var result = codec.GetPixels(info, bitmap.GetPixels(), new SKCodecOptions(i, required[i]));
                    if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
                    {
                        throw new IOException($"{path}: frame {i} cannot be decoded ({result}).");
                    }

                    if (required[i] >= 0 && lastUse[required[i]] == i && kept.Remove(required[i], out var done))
                    {
                        done.Dispose();
                    }

                    if (lastUse[i] > i)
                    {
                        kept[i] = bitmap;
                    }

                    using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                    yield return png.ToArray();
                }
                finally
                {
                    if (!kept.ContainsKey(i))
                    {
                        bitmap.Dispose();
                    }
                }
            }
        }
        finally
        {
            foreach (var bitmap in kept.Values)
            {
                bitmap.Dispose();
            }
        }
    }

    /// <remarks>
    /// ffmpeg writes the frames as a stream of PNGs to a pipe, so it runs only as far ahead as the pipe's buffer: no
    /// temporary files, and stopping early (or cancelling) stops ffmpeg.
    /// </remarks>
    private static async IAsyncEnumerable<byte[]> VideoFrames(string path, int maxFrames, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (maxFrames == 0)
        {
            yield break;
        }

        var side = MaxVideoSide.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("ffmpeg",
        [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-i", path,
            "-fps_mode", "passthrough",
            // Only frames whose long side exceeds the limit shrink (keeping their aspect); the quotes protect the commas.
            "-vf", $"scale='min(iw,{side})':'min(ih,{side})':force_original_aspect_ratio=decrease",
            "-frames:v", maxFrames.ToString(CultureInfo.InvariantCulture),
            "-f", "image2pipe", "-c:v", "png", "-",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IOException("ffmpeg did not start.");
        }
        catch (Win32Exception)
        {
            throw new IOException($"{path} is not a GIF or a folder of frames, and reading a video file needs ffmpeg on PATH, which is not installed.");
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                var stdout = process.StandardOutput.BaseStream;
                while (await ReadPngAsync(stdout, cancellationToken) is { } frame)
                {
                    yield return frame;
                }

                await process.WaitForExitAsync(cancellationToken);
                if (process.ExitCode != 0)
                {
                    throw new IOException($"ffmpeg cannot read {path}: {(await errors).Trim()}");
                }
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
    }

    /// <summary>One whole PNG from <paramref name="stream"/>: the signature, then chunks up to and including IEND.</summary>
    /// <returns>Null at the end of the stream.</returns>
    /// <exception cref="IOException">The stream ends inside a PNG, or holds something else.</exception>
    private static async Task<byte[]?> ReadPngAsync(Stream stream, CancellationToken cancellationToken)
    {
        var signature = new byte[PngSignature.Length];
        var read = await stream.ReadAtLeastAsync(signature, signature.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        if (read < signature.Length || !signature.AsSpan().SequenceEqual(PngSignature))
        {
            throw new IOException("ffmpeg's output is not a stream of PNG frames.");
        }

        using var png = new MemoryStream();
        png.Write(signature);
        var header = new byte[8];
        while (true)
        {
            await stream.ReadExactlyAsync(header, cancellationToken);
            png.Write(header);
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header);
            if (length < 0)
            {
                throw new IOException("ffmpeg's output holds a malformed PNG chunk.");
            }

            var body = new byte[length + 4]; // data and CRC
            await stream.ReadExactlyAsync(body, cancellationToken);
            png.Write(body);
            if (header.AsSpan(4, 4).SequenceEqual("IEND"u8))
            {
                return png.ToArray();
            }
        }
    }
}
