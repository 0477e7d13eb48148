namespace Likeness.Media.Tests;

/// <summary><see cref="ClipReader"/> on folders of frames and animated GIFs: no other process involved.</summary>
public sealed class ClipReaderUnitTests
{
    private const int Side = 16;

    [Fact]
    public async Task ReadAsync_Folder_FramesInOrdinalNameOrder_OthersIgnored()
    {
        await InFolderAsync(async folder =>
        {
            // Ordinal order: "10" before "2", digits before letters.
            (string Name, byte Red)[] files = [("b.png", 40), ("2.jpg", 20), ("a.webp", 30), ("10.png", 10)];
            foreach (var (name, red) in files)
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, name), FrameImages.Png(Solid(red, 0, 0), Side, Side));
            }

            await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a frame");

            var frames = await ReadAllAsync(folder);

            Assert.Equal([10, 20, 30, 40], frames.Select(f => FrameImages.DecodeRgb(f).Rgb[0]));
        });
    }

    [Fact]
    public async Task ReadAsync_Folder_ReadsEachFileOnlyWhenItsFrameIsAskedFor()
    {
        await InFolderAsync(async folder =>
        {
            var first = Path.Combine(folder, "0.png");
            var second = Path.Combine(folder, "1.png");
            await File.WriteAllBytesAsync(first, FrameImages.Png(Solid(1, 0, 0), Side, Side));
            await File.WriteAllBytesAsync(second, FrameImages.Png(Solid(2, 0, 0), Side, Side));

            await using var frames = ClipReader.ReadAsync(folder).GetAsyncEnumerator();
            Assert.True(await frames.MoveNextAsync());
            var replaced = FrameImages.Png(Solid(99, 0, 0), Side, Side);
            await File.WriteAllBytesAsync(second, replaced); // after the first frame was read, before the second is
            Assert.True(await frames.MoveNextAsync());

            Assert.Equal(replaced, frames.Current);
            Assert.False(await frames.MoveNextAsync());
        });
    }

    [Fact]
    public async Task ReadAsync_FolderWithMaxFrames_StopsThere()
    {
        await InFolderAsync(async folder =>
        {
            for (var i = 0; i < 5; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, $"{i}.png"), FrameImages.Png(Solid((byte)i, 0, 0), Side, Side));
            }

            Assert.Equal([0, 1, 2], (await ReadAllAsync(folder, 3)).Select(f => FrameImages.DecodeRgb(f).Rgb[0]));
        });
    }

    [Fact]
    public async Task ReadAsync_Gif_EveryFrameInOrder_FirstRedLastBlue()
    {
        // Red, then greens, then blue: colours of the GIF's 6x6x6 cube, so they survive the palette exactly.
        List<byte[]> frames = [Solid(255, 0, 0), Solid(0, 255, 0), Solid(0, 153, 0), Solid(0, 102, 0), Solid(0, 0, 255)];
        var path = Path.Combine(Path.GetTempPath(), $"likeness-clip-test-{Guid.NewGuid():N}.gif");
        await File.WriteAllBytesAsync(path, AnimatedGif.Encode(frames, Side, Side, fps: 8));
        try
        {
            var read = await ReadAllAsync(path);
            var firstTwo = await ReadAllAsync(path, 2);

            Assert.Equal(5, read.Count);
            Assert.Equal(frames, read.Select(f => FrameImages.DecodeRgb(f).Rgb));
            Assert.Equal(frames[..2], firstTwo.Select(f => FrameImages.DecodeRgb(f).Rgb));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadAsync_MissingPath_FileNotFound()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => ReadAllAsync("/nonexistent/clip.gif"));
    }

    private static async Task InFolderAsync(Func<string, Task> test)
    {
        var folder = Directory.CreateTempSubdirectory("likeness-clip-test-");
        try
        {
            await test(folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    internal static async Task<List<byte[]>> ReadAllAsync(string path, int maxFrames = int.MaxValue)
    {
        var frames = new List<byte[]>();
        await foreach (var frame in ClipReader.ReadAsync(path, maxFrames))
        {
            frames.Add(frame);
        }

        return frames;
    }

    private static byte[] Solid(byte red, byte green, byte blue, int width = Side, int height = Side)
    {
        var rgb = new byte[width * height * 3];
        for (var p = 0; p < width * height; p++)
        {
            (rgb[p * 3], rgb[(p * 3) + 1], rgb[(p * 3) + 2]) = (red, green, blue);
        }

        return rgb;
    }
}
