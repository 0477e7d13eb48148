using System.Globalization;
using System.Text.Json.Nodes;
using Likeness.Media;
using Likeness.Testing;
using SkiaSharp;

namespace Likeness.Clients.Tests.Cli;

/// <summary><c>likeness score</c> on clips of real photos, written as a GIF and as an MP4, against the real encoder.</summary>
public sealed class ScoreCliTests(SeparateServices services) : IClassFixture<SeparateServices>
{
    private const int Side = 256;

    /// <summary>Frames 2 and 5 show another person.</summary>
    private static readonly int[] Replaced = [2, 5];

    [Theory]
    [InlineData(ClipKind.Gif, "clip.gif")]
    [InlineData(ClipKind.Mp4, "clip.mp4")]
    public async Task Score_ClipWithAnotherPersonInTwoFrames_ReportsExactlyThoseFramesMissing(ClipKind kind, string name)
    {
        var folder = Directory.CreateTempSubdirectory("likeness-score-");
        var clip = await ClipFile.WriteAsync(folder.FullName, kind, Frames(), Side, Side, fps: 4);
        Assert.Equal(name, Path.GetFileName(clip));
        var plot = Path.Combine(folder.FullName, "plot.png");

        using var human = await LikenessAsync("score", clip, "--ref", $"astronaut={TestPhotos.Astronaut}", "--plot", plot);
        using var json = await LikenessAsync("score", clip, "--ref", TestPhotos.Astronaut, "--plot", plot, "--json");

        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("astronaut", human.Output, StringComparison.Ordinal);
        Assert.Contains("25%", human.Output, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        var frames = JsonNode.Parse(json.Output)!["frames"]!.AsArray();
        Assert.Equal(8, frames.Count);
        var present = frames.Select(f => f!["faces"]!.AsArray().Any(face => face!["person"] is not null)).ToList();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => !Replaced.Contains(i)), present);
        Assert.Equal((byte)0x89, (await File.ReadAllBytesAsync(plot))[0]);
    }

    [Fact]
    public async Task Score_FolderOfFrames_TwoPeople_EachFoundInTheirFrames()
    {
        var folder = Directory.CreateTempSubdirectory("likeness-score-");
        var frames = Frames();
        for (var i = 0; i < frames.Count; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, $"{i:D3}.png"), FrameImages.Png(frames[i], Side, Side));
        }

        using var json = await LikenessAsync("score", folder.FullName, "--ref", $"ada={TestPhotos.Astronaut}", "--ref", $"grace={TestPhotos.GraceHopper}",
            "--plot", Path.Combine(folder.FullName, "plot.png"), "--json");

        Assert.True(json.ExitCode == 0, json.ToString());
        var document = JsonNode.Parse(json.Output)!;
        var assigned = document["frames"]!.AsArray().Select(f => (int?)f!["faces"]![0]!["person"]).ToList();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (int?)(Replaced.Contains(i) ? 1 : 0)), assigned);
        Assert.Equal([0.0, 0.0], document["people"]!.AsArray().Select(p => (double)p!["leakage"]!));
    }

    [Fact]
    public async Task Score_WithoutPeople_OrWithAMissingClip_ExplainsAndExits()
    {
        using var nobody = await LikenessAsync("score", TestPhotos.Astronaut);
        using var missing = await LikenessAsync("score", "/nonexistent/clip.gif", "--ref", TestPhotos.Astronaut);

        Assert.Equal(2, nobody.ExitCode);
        Assert.Contains("at least one person", nobody.Errors, StringComparison.Ordinal);
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("/nonexistent/clip.gif", missing.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_IdentityBeforeRef_PeopleReportedInCommandLineOrder()
    {
        var folder = Directory.CreateTempSubdirectory("likeness-score-");
        var frames = Frames();
        for (var i = 0; i < 3; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, $"{i:D3}.png"), FrameImages.Png(frames[i], Side, Side));
        }

        using var encoded = await LikenessAsync("encode", "--family", "photo", TestPhotos.Astronaut, "--json");
        Assert.True(encoded.ExitCode == 0, encoded.ToString());
        var identity = (string)JsonNode.Parse(encoded.Output)!["identity"]!["identityId"]!;

        using var json = await LikenessAsync("score", folder.FullName, "--identity", $"a={identity}", "--ref", $"b={TestPhotos.GraceHopper}",
            "--plot", Path.Combine(folder.FullName, "plot.png"), "--json");

        Assert.True(json.ExitCode == 0, json.ToString());
        var document = JsonNode.Parse(json.Output)!;
        Assert.Equal(["a", "b"], document["people"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.Equal([0, 0, 1], document["frames"]!.AsArray().Select(f => (int?)f!["faces"]![0]!["person"]));
    }

    [Fact]
    public async Task Score_ClipLongerThanTheEncodersFrameLimit_RefusedNamingTheLimit()
    {
        var folder = Directory.CreateTempSubdirectory("likeness-score-");
        var blank = FrameImages.Png(new byte[64 * 64 * 3], 64, 64);
        using var described = await LikenessAsync("describe", "--json");
        Assert.True(described.ExitCode == 0, described.ToString());
        var limit = (int)JsonNode.Parse(described.Output)!["encoder"]!["limits"]!["maxScoringFrames"]!;
        for (var i = 0; i <= limit; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, $"{i:D4}.png"), blank);
        }

        using var refused = await LikenessAsync("score", folder.FullName, "--ref", TestPhotos.Astronaut, "--plot", Path.Combine(folder.FullName, "plot.png"));

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains($"more than {limit} frames", refused.Errors, StringComparison.Ordinal);
        Assert.Contains("max_scoring_frames", refused.Errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.FullName, "plot.png")));
    }

    [Fact]
    public async Task Score_FrameLargerThanTheEncodersImageLimit_RefusedNamingTheFrame()
    {
        var folder = Directory.CreateTempSubdirectory("likeness-score-");
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "0.png"), FrameImages.Png(Frames()[0], Side, Side));
        using var described = await LikenessAsync("describe", "--json");
        var limit = long.Parse((string)JsonNode.Parse(described.Output)!["encoder"]!["limits"]!["maxReferenceBytes"]!, CultureInfo.InvariantCulture); // uint64: a JSON string
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "1.png"), new byte[limit + 1]);

        using var refused = await LikenessAsync("score", folder.FullName, "--ref", TestPhotos.Astronaut, "--plot", Path.Combine(folder.FullName, "plot.png"));

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("Frame 1 of", refused.Errors, StringComparison.Ordinal);
        Assert.Contains("max_reference_bytes", refused.Errors, StringComparison.Ordinal);
    }

    /// <summary>Eight 256 px RGB frames: views of the astronaut (shifted, scaled, darker), Grace Hopper at <see cref="Replaced"/>.</summary>
    [Fact]
    public async Task Score_ClipWithABrokenFrame_ExitsRejectedWithTheEncodersReasonNamingTheFrame()
    {
        var folder = Directory.CreateTempSubdirectory("likeness-score-");
        var frames = Frames();
        for (var i = 0; i < 4; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, $"{i:D3}.png"), i == 1 ? "not a picture"u8.ToArray() : FrameImages.Png(frames[i], Side, Side));
        }

        using var refused = await LikenessAsync("score", folder.FullName, "--ref", TestPhotos.Astronaut, "--plot", Path.Combine(folder.FullName, "plot.png"));

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("INVALID_ARGUMENT: frames[1].data", refused.Errors, StringComparison.Ordinal);
    }

    private static List<byte[]> Frames()
    {
        using var astronaut = SKBitmap.Decode(TestPhotos.Astronaut);
        using var grace = SKBitmap.Decode(TestPhotos.GraceHopper);
        return Enumerable.Range(0, 8).Select(i => Replaced.Contains(i)
            ? View(grace, SKRect.Create(0, 40, 512, 512), 1f)
            : View(astronaut, SKRect.Create(i * 6, i * 4, 512 - (i * 10), 512 - (i * 10)), 1f - (i * 0.06f))).ToList();
    }

    private static byte[] View(SKBitmap photo, SKRect source, float light)
    {
        using var frame = new SKBitmap(new SKImageInfo(Side, Side, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(frame))
        using (var image = SKImage.FromBitmap(photo))
        using (var paint = new SKPaint { ColorFilter = SKColorFilter.CreateBlendMode(new SKColor((byte)(255 * light), (byte)(255 * light), (byte)(255 * light)), SKBlendMode.Modulate) })
        {
            canvas.DrawImage(image, source, SKRect.Create(0, 0, Side, Side), new SKSamplingOptions(SKCubicResampler.Mitchell), paint);
        }

        var rgba = frame.GetPixelSpan();
        var rgb = new byte[Side * Side * 3];
        for (var p = 0; p < Side * Side; p++)
        {
            rgba.Slice(p * 4, 3).CopyTo(rgb.AsSpan(p * 3));
        }

        return rgb;
    }

    private Task<ChildProcess> LikenessAsync(params string[] args) => LikenessCli.RunAsync(services, TimeSpan.FromMinutes(2), args);
}
