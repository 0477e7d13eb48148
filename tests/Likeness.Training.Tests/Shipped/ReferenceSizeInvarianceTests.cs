using Likeness.Identity.Faces;
using Likeness.Identity.Images;
using Likeness.Media;
using Likeness.Model.Identity;
using Likeness.Training.Cast;
using SkiaSharp;
using TorchSharp;

namespace Likeness.Training.Tests.Shipped;

/// <summary>
/// The shipped identity model gives the same identity whatever the photo's size or encoding: the same drawing of a
/// held-out character from 64 to 2048 px, PNG or JPEG at quality 70, through the encoder's own path (decode, reference
/// checks, the subject the quality analysis finds, its crop), gives tokens within cosine 0.98 of the 128 px photo's.
/// </summary>
public sealed class ReferenceSizeInvarianceTests
{
    private const float MinimumCosine = 0.98f;

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "models");
    private static readonly ReferenceDecoder Decoder = new(new ReferenceImageOptions());
    private static readonly CastSubjectFinder Finder = new();

    public static TheoryData<int, int, string> Photos()
    {
        var data = new TheoryData<int, int, string>();
        foreach (var character in new[] { 10, 40, 70, 130 })
        {
            foreach (var side in new[] { 64, 256, 512, 2048 })
            {
                data.Add(character, side, "png");
            }

            data.Add(character, 128, "jpeg");
            data.Add(character, 512, "jpeg");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Photos))]
    public void Tokens_OfAnotherSizeOrEncoding_MatchThe128PxPhotos(int character, int side, string format)
    {
        using var identity = LoadedIdentityModel.FromManifest(Path.Combine(Folder, "identity.manifest.json"), torch.CPU);
        var who = new ProceduralCast(seed: 7).Character(character);
        var script = ClipDirector.Direct(clipSeed: 900 + character, frames: 1);

        var reference = Tokens(identity, Photo(who, script, 128, "png"));
        var other = Tokens(identity, Photo(who, script, side, format));

        var cosine = Cosine(reference, other);
        Assert.True(cosine >= MinimumCosine, $"character {character}: {side} px {format} gives cosine {cosine:0.0000} to the 128 px PNG's tokens");
    }

    [Fact]
    public void Tokens_OfAnotherCharacter_AreFurtherApartThanAnySizeOrEncoding()
    {
        using var identity = LoadedIdentityModel.FromManifest(Path.Combine(Folder, "identity.manifest.json"), torch.CPU);
        var cast = new ProceduralCast(seed: 7);
        var tokens = new[] { 10, 40, 70, 130 }.Select(c => Tokens(identity, Photo(cast.Character(c), ClipDirector.Direct(clipSeed: 900 + c, frames: 1), 128, "png"))).ToList();

        var closest = tokens.SelectMany((a, i) => tokens.Skip(i + 1).Select(b => Cosine(a, b))).Max();

        // Otherwise the bar above would say nothing: the same face at any size must be closer than two faces are.
        Assert.True(closest < MinimumCosine, $"two characters' tokens have cosine {closest:0.0000}");
    }

    private static byte[] Photo(CharacterTraits who, ClipScript script, int side, string format)
    {
        var frame = CastRenderer.Render(who, script.Background, script.Poses[0], side);
        if (format == "png")
        {
            return FrameImages.Png(frame.Rgb, side, side);
        }

        using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = bitmap.GetPixelSpan();
        for (var i = 0; i < side * side; i++)
        {
            (pixels[i * 4], pixels[(i * 4) + 1], pixels[(i * 4) + 2], pixels[(i * 4) + 3]) = (frame.Rgb[i * 3], frame.Rgb[(i * 3) + 1], frame.Rgb[(i * 3) + 2], 255);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 70);
        return data.ToArray();
    }

    private static float[] Tokens(LoadedIdentityModel identity, byte[] photo)
    {
        using var reference = Decoder.Check(new ReferenceImage(photo), 0);
        var crop = FaceCrop.Extract(reference, QualityAnalyzer.Analyze(reference, Finder).Subject, identity.Config.InputSize);
        return identity.Encode(crop, 1, []).Tokens;
    }

    private static float Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            (dot, na, nb) = (dot + ((double)a[i] * b[i]), na + ((double)a[i] * a[i]), nb + ((double)b[i] * b[i]));
        }

        return (float)(dot / Math.Sqrt(na * nb));
    }
}
