using Likeness.Core.Errors;
using Likeness.Identity.Faces;
using Likeness.Identity.Images;
using Likeness.Identity.Regions;
using Likeness.Testing;
using SkiaSharp;

namespace Likeness.Identity.Tests.Images;

/// <summary>Kinds of files that trip image pipelines: EXIF orientations, truncation, animation, colour types.</summary>
public sealed class DecodingKindsTests
{
    private static readonly CastSubjectFinder Cast = new();

    private readonly ReferenceDecoder decoder = new(new ReferenceImageOptions());

    private static byte[] Case(string name) => File.ReadAllBytes(Repository.PathOf(Path.Combine("tests", "Likeness.Identity.Tests", "Images", "Cases", name)));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Check_EveryExifOrientation_GivesTheUprightPicture(int orientation)
    {
        using var upright = ImageVariants.Upright(240, 320);
        var bytes = ImageVariants.JpegWithOrientation(upright, orientation);

        using var reference = decoder.Check(new ReferenceImage(bytes), 0);

        Assert.Equal(orientation, reference.Orientation);
        Assert.Equal((240, 320), (reference.Width, reference.Height));
        AssertMarkersUpright(reference.Working);
        var uprightQuality = QualityAnalyzer.Analyze(decoder.Check(new ReferenceImage(ImageVariants.JpegWithOrientation(upright, 1)), 0), Cast);
        AssertSameBox(uprightQuality.Subject, QualityAnalyzer.Analyze(reference, Cast).Subject);
    }

    [Fact]
    public void Check_PhoneCaseStoredSideways_IsReadUpright()
    {
        using var reference = decoder.Check(new ReferenceImage(Case("exif_orientation_6.jpg")), 0);

        Assert.Equal((768, 1024), (reference.Width, reference.Height));
        AssertMarkersUpright(reference.Working);
    }

    [Fact]
    public void Check_SamePixelsOtherOrientation_HasAnotherContentAddress()
    {
        using var upright = ImageVariants.Upright(240, 320);
        using var stored = SKBitmap.Decode(upright.Encode(SKEncodedImageFormat.Jpeg, 95));
        var plain = stored.Encode(SKEncodedImageFormat.Jpeg, 95).ToArray();

        using var first = decoder.Check(new ReferenceImage(ImageVariants.WithExifOrientation(plain, 1)), 0);
        using var turned = decoder.Check(new ReferenceImage(ImageVariants.WithExifOrientation(plain, 6)), 0);

        Assert.NotEqual(first.ContentHash, turned.ContentHash);
    }

    public static TheoryData<string, double> Truncations()
    {
        var data = new TheoryData<string, double>();
        foreach (var file in new[] { "progressive_control.jpg", "baseline" })
        {
            foreach (var fraction in new[] { 0.1, 0.3, 0.6, 0.9, 0.99, -2 })
            {
                data.Add(file, fraction);
            }
        }

        return data;
    }

    /// <summary>Cut anywhere, down to the end-of-image marker alone (-2: the last two bytes), baseline and progressive are refused alike.</summary>
    [Theory]
    [MemberData(nameof(Truncations))]
    public void Check_TruncatedJpeg_IsRefusedTheSameWayForBothKinds(string file, double fraction)
    {
        var whole = file == "baseline" ? TestImages.Face(4, 640, 800, SKEncodedImageFormat.Jpeg) : Case(file);
        using (decoder.Check(new ReferenceImage(whole), 0))
        {
        }

        var cut = fraction < 0 ? whole[..^2] : TestImages.Truncated(whole, fraction);

        AssertIncompleteJpeg(cut, 2);
    }

    [Theory]
    [InlineData("baseline_missing_eoi.jpg")]
    [InlineData("progressive_missing_eoi.jpg")]
    [InlineData("progressive_truncated_60pct.jpg")]
    public void Check_CasesWithoutEndMarker_AreRefusedWithOneReason(string file) => AssertIncompleteJpeg(Case(file), 0);

    [Fact]
    public void Check_TrailingBytesAfterEndMarker_AreAccepted()
    {
        using var reference = decoder.Check(new ReferenceImage(Case("progressive_control.jpg").Concat(new byte[100]).ToArray()), 0);
        Assert.Equal((640, 800), (reference.Width, reference.Height));
    }

    [Theory]
    [InlineData("animated_2frames.webp", 2)]
    [InlineData("animated_2frames.png", 2)]
    public void Check_AnimatedImage_ReadsTheFirstFrameAndWarns(string file, int frames)
    {
        using var reference = decoder.Check(new ReferenceImage(Case(file)), 0);

        Assert.Equal(frames, reference.FrameCount);
        var warning = Assert.Single(QualityAnalyzer.Analyze(reference, Cast).Warnings, w => w.Code == QualityWarningCode.AnimatedFirstFrame);
        Assert.Contains("only the first frame", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AnimatedPng_ReadsItsFirstFrameNotTheSecond()
    {
        using var reference = decoder.Check(new ReferenceImage(Case("animated_2frames.png")), 0);

        // The second frame is the negative of the first: its top-left marker would be cyan, not red.
        AssertMarkersUpright(reference.Working);
    }

    [Theory]
    [InlineData(ImageVariants.PngColour.Grey, 8)]
    [InlineData(ImageVariants.PngColour.Grey, 16)]
    [InlineData(ImageVariants.PngColour.GreyAlpha, 8)]
    [InlineData(ImageVariants.PngColour.Rgb, 16)]
    [InlineData(ImageVariants.PngColour.Palette, 8)]
    [InlineData(ImageVariants.PngColour.Rgba, 8)]
    [InlineData(ImageVariants.PngColour.Rgba, 16)]
    public void Check_EveryPngColourType_EqualsItsRgbTwin(ImageVariants.PngColour colour, int depth)
    {
        using var picture = Posterised(grey: colour is ImageVariants.PngColour.Grey or ImageVariants.PngColour.GreyAlpha);
        using var twin = decoder.Check(new ReferenceImage(ImageVariants.Png(picture, ImageVariants.PngColour.Rgb)), 0);

        using var variant = decoder.Check(new ReferenceImage(ImageVariants.Png(picture, colour, depth)), 0);

        Assert.Equal(twin.Working.GetPixelSpan().ToArray(), variant.Working.GetPixelSpan().ToArray());
        Assert.Equal(QualityAnalyzer.Analyze(twin, Cast), QualityAnalyzer.Analyze(variant, Cast), QualityComparer.Instance);
    }

    [Fact]
    public void Check_TransparentPixels_AreCompositedOnTheDocumentedMatte()
    {
        using var picture = Posterised(grey: false);
        var pixels = picture.GetPixelSpan();
        for (var i = 3; i < pixels.Length; i += 8)
        {
            pixels[i] = 0; // every other pixel fully transparent
        }

        using var reference = decoder.Check(new ReferenceImage(ImageVariants.Png(picture, ImageVariants.PngColour.Rgba)), 0);

        var decoded = reference.Working.GetPixelSpan();
        Assert.Equal([ReferenceDecoder.Matte.Red, ReferenceDecoder.Matte.Green, ReferenceDecoder.Matte.Blue, 255], decoded[..4].ToArray());
        Assert.Equal([pixels[4], pixels[5], pixels[6], 255], decoded[4..8].ToArray());
    }

    [Fact]
    public void Check_CmykJpeg_IsMeasuredLikeItsRgbTwin()
    {
        using var twin = decoder.Check(new ReferenceImage(Case("progressive_control.jpg")), 0);
        using var cmyk = decoder.Check(new ReferenceImage(Case("cmyk_of_progressive_control.jpg")), 0);

        var a = twin.Working.GetPixelSpan().ToArray();
        var b = cmyk.Working.GetPixelSpan().ToArray();
        var meanDifference = Enumerable.Range(0, a.Length).Where(i => i % 4 != 3).Average(i => (double)Math.Abs(a[i] - b[i]));
        Assert.True(meanDifference < 3, $"CMYK decodes {meanDifference:0.00} levels away from its RGB twin on average.");
        var (qa, qb) = (QualityAnalyzer.Analyze(twin, Cast), QualityAnalyzer.Analyze(cmyk, Cast));
        Assert.Equal(qa.MeanLuma, qb.MeanLuma, 0.01f);
        AssertSameBox(qa.Subject, qb.Subject);
    }

    /// <summary>A face picture in RGBA8888, quantised to few colours (a palette holds 256) and fully opaque.</summary>
    private static SKBitmap Posterised(bool grey)
    {
        using var drawn = ImageVariants.Upright(200, 240);
        var bitmap = drawn.Copy(SKColorType.Rgba8888);
        var pixels = bitmap.GetPixelSpan();
        for (var i = 0; i < pixels.Length; i += 4)
        {
            for (var c = 0; c < 3; c++)
            {
                pixels[i + c] = (byte)(pixels[(grey ? i : i + c)] / 64 * 64);
            }

            pixels[i + 3] = 255;
        }

        return bitmap;
    }

    private void AssertIncompleteJpeg(byte[] data, int index)
    {
        var error = Assert.Throws<LikenessException>(() => decoder.Check(new ReferenceImage(data), index));
        Assert.Equal(LikenessErrorKind.InvalidArgument, error.Kind);
        Assert.Equal($"references[{index}].data", error.Field);
        Assert.EndsWith("is an incomplete Jpeg: it ends before its end-of-image marker: the file was cut short.", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Red top-left, blue top-right, green bottom-left, each read at its marker's centre.</summary>
    private static void AssertMarkersUpright(SKBitmap working)
    {
        var inset = Math.Min(working.Width, working.Height) / 32;
        AssertColour(working.GetPixel(inset, inset), red: true);
        AssertColour(working.GetPixel(working.Width - 1 - inset, inset), blue: true);
        AssertColour(working.GetPixel(inset, working.Height - 1 - inset), green: true);
    }

    private static void AssertColour(SKColor colour, bool red = false, bool green = false, bool blue = false)
    {
        Assert.True((colour.Red > 150) == red && (colour.Green > 150) == green && (colour.Blue > 150) == blue, $"Unexpected marker colour {colour}.");
    }

    private static void AssertSameBox(NormalizedBox? expected, NormalizedBox? actual)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.Value.X, actual.Value.X, 0.03f);
        Assert.Equal(expected.Value.Y, actual.Value.Y, 0.03f);
        Assert.Equal(expected.Value.Width, actual.Value.Width, 0.03f);
        Assert.Equal(expected.Value.Height, actual.Value.Height, 0.03f);
    }

    private sealed class QualityComparer : IEqualityComparer<ReferenceQuality>
    {
        public static readonly QualityComparer Instance = new();

        public bool Equals(ReferenceQuality? x, ReferenceQuality? y) =>
            x is not null && y is not null && x.Width == y.Width && x.Height == y.Height && x.MeanLuma == y.MeanLuma
            && x.Sharpness == y.Sharpness && x.Subject == y.Subject && x.Score == y.Score
            && x.Warnings.SequenceEqual(y.Warnings);

        public int GetHashCode(ReferenceQuality obj) => obj.Width;
    }
}
