using Likeness.Identity.Faces;
using Likeness.Identity.Images;
using Likeness.Testing;
using SkiaSharp;

namespace Likeness.Identity.Tests.Images;

public sealed class QualityAnalyzerUnitTests
{
    private static readonly CastSubjectFinder Cast = new();

    private readonly ReferenceDecoder decoder = new(new ReferenceImageOptions());

    [Fact]
    public void Analyze_ClearFace_FindsTheSubjectWithoutWarnings()
    {
        var quality = Analyze(TestImages.Face(4, 400, 400));

        Assert.NotNull(quality.Subject);
        Assert.Empty(quality.Warnings);
        Assert.InRange(quality.Score, 0.5f, 1f);
    }

    [Fact]
    public void Analyze_SubjectBox_CoversTheDrawnFace()
    {
        var box = Analyze(TestImages.Face(4, 400, 400)).Subject!.Value;

        // The face is drawn around the middle of the frame, about 40% wide.
        Assert.InRange(box.X + (box.Width / 2), 0.35f, 0.65f);
        Assert.InRange(box.Width, 0.2f, 0.7f);
    }

    [Fact]
    public void Analyze_Blurred_IsLessSharpAndWarns()
    {
        var sharp = Analyze(TestImages.Face(4, 400, 400));
        var blurred = Analyze(TestImages.Face(4, 400, 400, blurSigma: 8));

        Assert.True(blurred.Sharpness < sharp.Sharpness / 4, $"{blurred.Sharpness} vs {sharp.Sharpness}");
        Assert.Contains(blurred.Warnings, w => w.Code == QualityWarningCode.Blurry);
        Assert.True(blurred.Score < sharp.Score);
    }

    [Fact]
    public void Analyze_Dark_WarnsUnderexposed()
    {
        var quality = Analyze(TestImages.Face(4, 400, 400, brightness: 0.15f));

        Assert.True(quality.MeanLuma < 0.2f);
        Assert.Contains(quality.Warnings, w => w.Code == QualityWarningCode.Underexposed);
    }

    [Fact]
    public void Analyze_SmallImage_WarnsLowResolution() =>
        Assert.Contains(Analyze(TestImages.Face(4, 128, 128)).Warnings, w => w.Code == QualityWarningCode.LowResolution);

    [Fact]
    public void Analyze_PlainImage_FindsNoSubject()
    {
        using var bitmap = new SKBitmap(300, 300);
        bitmap.Erase(new SKColor(120, 130, 140));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);

        var quality = Analyze(data.ToArray());

        Assert.Null(quality.Subject);
        Assert.Contains(quality.Warnings, w => w.Code is QualityWarningCode.NoFace);
    }

    private ReferenceQuality Analyze(byte[] image)
    {
        using var reference = decoder.Check(new ReferenceImage(image), 0);
        return QualityAnalyzer.Analyze(reference, Cast);
    }
}
