using Likeness.Identity.Faces;
using Likeness.Identity.Images;
using Likeness.Model.Faces;
using Likeness.Testing;
using SkiaSharp;

namespace Likeness.Identity.Tests.Faces;

/// <summary>The quality report's face warnings from a finder that returns chosen faces, on a 1024 px reference (working copy 512 px).</summary>
public sealed class FaceWarningsUnitTests
{
    private const int Side = 1024;

    private readonly ReferenceDecoder decoder = new(new ReferenceImageOptions());

    [Fact]
    public void Analyze_FacesInAnyOrder_AreListedLargestFirst_AndTheLargestIsTheSubject()
    {
        var quality = Analyze(new ScriptedFinder(Frontal(40, 40, 80), Frontal(300, 100, 160)));

        Assert.Equal(2, quality.Faces.Count);
        Assert.Equal(160f / 512, quality.Faces[0].Box.Width, 4);
        Assert.Equal(quality.Faces[0].Box, quality.Subject);
        Assert.Equal("scripted", quality.FaceFinder);
        Assert.Contains(quality.Warnings, w => w.Code == QualityWarningCode.SeveralFaces);
        Assert.All(quality.Faces, f => Assert.Equal(6, f.Landmarks.Count));
    }

    [Theory]
    [InlineData(45, true)] // 90 px of the 1024 px original
    [InlineData(55, false)] // 110 px
    public void Analyze_FaceSide_IsMeasuredInTheOriginalsPixels(int workingSide, bool tooSmall)
    {
        var quality = Analyze(new ScriptedFinder(Frontal(200, 200, workingSide)));

        Assert.Equal(tooSmall, quality.Warnings.Any(w => w.Code == QualityWarningCode.FaceTooSmall));
        Assert.DoesNotContain(quality.Warnings, w => w.Code is QualityWarningCode.SeveralFaces or QualityWarningCode.NoFace);
    }

    [Theory]
    [InlineData(0.5f, true)]
    [InlineData(-0.5f, true)]
    [InlineData(0.2f, false)]
    public void Analyze_HeadTurned_WarnsPastTheYawLimit(float noseOffset, bool turned)
    {
        var quality = Analyze(new ScriptedFinder(Frontal(200, 200, 150, noseOffset)));

        Assert.Equal(turned, quality.Warnings.Any(w => w.Code == QualityWarningCode.HeadTurned));
    }

    [Fact]
    public void Analyze_FaceWithoutLandmarks_IsNeverTurned()
    {
        var quality = Analyze(new ScriptedFinder(new DetectedFace(new PixelBox(100, 100, 200, 200), null, 1)));

        Assert.Empty(Assert.Single(quality.Faces).Landmarks);
        Assert.DoesNotContain(quality.Warnings, w => w.Code == QualityWarningCode.HeadTurned);
    }

    [Fact]
    public void Analyze_NoFace_WarnsNoFace_AndScoresLower()
    {
        var none = Analyze(new ScriptedFinder());
        var one = Analyze(new ScriptedFinder(Frontal(200, 200, 150)));

        Assert.Null(none.Subject);
        Assert.Contains(none.Warnings, w => w.Code == QualityWarningCode.NoFace && w.Message.EndsWith("scripted advice.", StringComparison.Ordinal));
        Assert.True(none.Score < one.Score);
    }

    private ReferenceQuality Analyze(IFaceFinder finder)
    {
        using var reference = decoder.Check(new ReferenceImage(TestImages.Face(4, Side, Side)), 0);
        return QualityAnalyzer.Analyze(reference, finder);
    }

    /// <summary>A face box of <paramref name="side"/> working pixels at (x, y) with landmarks; the nose <paramref name="noseOffset"/> eye distances off centre.</summary>
    private static DetectedFace Frontal(float x, float y, float side, float noseOffset = 0)
    {
        PixelPoint P(float fx, float fy) => new(x + (fx * side), y + (fy * side));
        var landmarks = new FaceLandmarks(P(0.3f, 0.35f), P(0.7f, 0.35f), P(0.5f + (0.4f * noseOffset), 0.55f), P(0.5f, 0.75f), P(0.05f, 0.45f), P(0.95f, 0.45f));
        return new DetectedFace(new PixelBox(x, y, side, side), landmarks, 0.9f);
    }

    private sealed class ScriptedFinder(params DetectedFace[] faces) : IFaceFinder
    {
        public string Name => "scripted";

        public string NoFaceAdvice => "scripted advice.";

        public int MinFaceSide => 100;

        public IReadOnlyList<DetectedFace> Find(SKBitmap working) => faces;
    }
}
