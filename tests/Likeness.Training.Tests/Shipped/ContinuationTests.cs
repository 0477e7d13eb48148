using Likeness.Identity.Faces;
using Likeness.Identity.Images;
using Likeness.Identity.Regions;
using Likeness.Media;
using Likeness.Model.Generation;
using Likeness.Model.Identity;
using Likeness.Training.Cast;
using Likeness.Training.Evaluation;
using Likeness.Training.Video;
using TorchSharp;
using Xunit.Abstractions;

namespace Likeness.Training.Tests.Shipped;

/// <summary>
/// The shipped video model continues a clip it is given: the first four frames of a held-out character's rendered clip
/// as context, the next four made with the character's identity. The made frames must keep the character as well as a
/// clip made from noise does (FaceSim, by the identity model's backbone f, at least 0.9 of it). The seam is measured
/// and printed, not yet asserted: the shipped family was trained with one noise level for every frame, and its seam
/// changes 2 to 3.5 times as much as adjacent made frames do (the target, 1.5 times, waits for per-frame noise levels
/// in training).
/// </summary>
public sealed class ContinuationTests(ITestOutputHelper output)
{
    private const int Frames = 8;
    private const int Given = 4;
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "models");

    [Theory]
    [InlineData(10)]
    [InlineData(70)]
    public void Continue_HeldOutClip_KeepsTheCharacterAsAClipFromNoiseDoes(int character)
    {
        var figures = Measure(character, (who, script, side) =>
        {
            var rendered = script.Poses.Select(pose => CastRenderer.Render(who, script.Background, pose, side)).ToList();
            return (rendered.Take(Given).SelectMany(r => PixelPlanes.FromInterleaved(r.Rgb, bytesPerPixel: 3)).ToArray(),
                ClipSamples.Track(rendered.Select(r => r.FaceBox).ToList()));
        });
        output.WriteLine($"character {character}: FaceSim continued {figures.Continued:0.000}, from noise {figures.FromNoise:0.000}; " +
            $"seam {figures.Seam:0.0000}, adjacent made frames {figures.Inside:0.0000}");

        Assert.True(figures.Continued >= 0.9 * figures.FromNoise, $"continued FaceSim {figures.Continued:0.000} against {figures.FromNoise:0.000} from noise");
    }

    /// <summary>
    /// A clip to continue whose frames show no face (the scene's background alone): the identity tokens, not the frames,
    /// bring the character, as a long clip's chunk or an extension does after a shot without them. The continued frames
    /// must keep at least 0.8 of the FaceSim of a clip from noise, and more than the faceless frames score.
    /// </summary>
    [Theory]
    [InlineData(10)]
    [InlineData(70)]
    public void Continue_FramesWithoutAFace_TheIdentityBringsTheCharacter(int character)
    {
        var figures = Measure(character, (_, script, side) =>
        {
            var empty = PixelPlanes.FromInterleaved(CastRenderer.RenderScene([], script.Background, side).Rgb, bytesPerPixel: 3);
            return (Enumerable.Repeat(empty, Given).SelectMany(f => f).ToArray(), DefaultFraming.For(0, 1));
        });
        output.WriteLine($"character {character}: FaceSim of the faceless given frames {figures.Given:0.000}, continued {figures.Continued:0.000}, from noise {figures.FromNoise:0.000}");

        // Measured 2026-12-07: 1.02 × (character 10) and 0.89 × (70) of the clip from noise; the faceless frames themselves
        // score -0.43 and 0.46. At 0.8 × a continuation that did not bring the character back would still fail for both.
        Assert.True(figures.Continued >= 0.8 * figures.FromNoise && figures.Continued > figures.Given,
            $"continued FaceSim {figures.Continued:0.000} against {figures.FromNoise:0.000} from noise and {figures.Given:0.000} for the faceless frames");
    }

    /// <summary>FaceSim of the made frames continued and from noise, of the given frames, and the seam against adjacent made frames.</summary>
    private sealed record Figures(double Continued, double FromNoise, double Given, double Seam, double Inside);

    /// <summary>
    /// The shipped models on a held-out character: <paramref name="scene"/> gives the first <see cref="Given"/> frames
    /// ([frames, 3, H, W] in -1..1) and the face track; the clip is made from noise and continued from them, same seed.
    /// </summary>
    private static Figures Measure(int character, Func<CharacterTraits, ClipScript, int, (float[] Context, RegionTrack Track)> scene)
    {
        using var identity = LoadedIdentityModel.FromManifest(Path.Combine(Folder, "identity.manifest.json"), torch.CPU);
        using var video = LoadedVideoModel.FromManifest(Path.Combine(Folder, "video.manifest.json"), torch.CPU);
        var side = video.Config.MaxSide;
        var who = new ProceduralCast(seed: 7).Character(character);
        var script = ClipDirector.Direct(clipSeed: 5000 + character, Frames);
        var (context, track) = scene(who, script, side);
        var encoded = Encode(identity, who);
        var request = new SamplingRequest
        {
            Frames = Frames, Height = side, Width = side, Steps = 20, GuidanceScale = 3f, Seed = (ulong)character,
            Prompt = ClipDirector.Caption(who, script, describeCharacter: false),
            Characters = [new SamplingCharacter(encoded.Tokens, 0.8f, RegionRasterizer.Rasterize(track, Frames, side / video.Config.PatchSize, side / video.Config.PatchSize))],
        };

        var fromNoise = new ClipFrames(video.Sample(request, _ => { }, default), Frames, side, side);
        var continued = new ClipFrames(video.Sample(request with { Context = context }, _ => { }, default), Frames, side, side);

        double FaceSim(ClipFrames clip, IEnumerable<int> frames) => frames.Average(f => EmbeddingMath.Cosine(Embed(identity, clip, f, track), encoded.FaceEmbedding));
        var made = Enumerable.Range(Given, Frames - Given).ToList();
        return new Figures(
            FaceSim(continued, made), FaceSim(fromNoise, made), FaceSim(continued, Enumerable.Range(0, Given)),
            Change(continued, Given - 1), made.Skip(1).Average(f => Change(continued, f - 1)));
    }

    /// <summary>Tokens and f(ref) from a 128 px photo of the character, through the encoder's path.</summary>
    private static EncodedIdentity Encode(LoadedIdentityModel identity, CharacterTraits who)
    {
        var photo = ReferencePhotos.Render(who, photoSeed: who.Id * 100, Likeness.Training.Evaluation.ReferenceQuality.Clean);
        using var reference = new ReferenceDecoder(new ReferenceImageOptions()).Check(new ReferenceImage(FrameImages.Png(photo.Rgb, photo.Size, photo.Size)), 0);
        var crop = FaceCrop.Extract(reference, QualityAnalyzer.Analyze(reference, new CastSubjectFinder()).Subject, identity.Config.InputSize);
        return identity.Encode(crop, 1, []);
    }

    private static float[] Embed(LoadedIdentityModel identity, ClipFrames clip, int frame, RegionTrack track)
    {
        var box = track.At(frame / (float)(clip.Frames - 1));
        return identity.Embed(FaceCrop.Extract(clip.Frame(frame), clip.Width, clip.Height, box, identity.Config.InputSize), 1);
    }

    /// <summary>Mean absolute change of a pixel value from frame <paramref name="frame"/> to the next.</summary>
    private static double Change(ClipFrames clip, int frame)
    {
        var (a, b) = (clip.Frame(frame).ToArray(), clip.Frame(frame + 1).ToArray());
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
    }
}
