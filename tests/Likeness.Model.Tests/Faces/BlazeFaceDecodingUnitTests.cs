using Likeness.Model.Faces;
using Likeness.Model.Faces.Internal;

namespace Likeness.Model.Tests.Faces;

public sealed class BlazeFaceDecodingUnitTests
{
    [Fact]
    public void WeightedSuppression_OverlappingDetections_BlendByScoreAndKeepTheBestScore()
    {
        var a = Detection(0.10f, 0.9f);
        var b = Detection(0.12f, 0.3f);
        var far = Detection(0.60f, 0.6f);

        var kept = BlazeFaceDecoding.WeightedSuppression([b, far, a], iouThreshold: 0.3f);

        Assert.Equal(2, kept.Count);
        Assert.Equal(0.9f, kept[0].Score);
        Assert.Equal(((0.10f * 0.9f) + (0.12f * 0.3f)) / 1.2f, kept[0].Coordinates[0], 5);
        Assert.Equal(0.60f, kept[1].Coordinates[0], 5);
    }

    [Fact]
    public void AnchorCentres_BlazeFaceGrids_FineCellsThenCoarseCellsAnchorsInnermost()
    {
        var config = new FaceDetectorConfig { InputSize = 256, FineStride = 16, CoarseStride = 32, Blocks = [new(24, 24, 1, true), new(24, 24, 1, true)], FineHeadBlock = 0, CoarseHeadBlock = 1 };

        var centres = BlazeFaceDecoding.AnchorCentres(config);

        Assert.Equal(896 * 2, centres.Length);
        Assert.Equal([0.5f / 16, 0.5f / 16, 0.5f / 16, 0.5f / 16, 1.5f / 16, 0.5f / 16], centres[..6]);
        Assert.Equal(0.5f / 8, centres[512 * 2]);
        Assert.Equal(7.5f / 8, centres[^1]);
    }

    [Fact]
    public void Decode_ScoreBelowThreshold_IsDropped_AndOffsetsAreInInputPixels()
    {
        var config = new FaceDetectorConfig { InputSize = 128, Blocks = [new(24, 24, 1, true), new(24, 24, 1, true)], FineHeadBlock = 0, CoarseHeadBlock = 1 };
        var anchors = new float[] { 0.5f, 0.5f, 0.25f, 0.25f };
        var regressors = new float[32];
        regressors[2] = 64;   // width: half the input
        regressors[3] = 32;

        var decoded = BlazeFaceDecoding.Decode([2f, -2f], regressors, anchors, config);

        var only = Assert.Single(decoded);
        Assert.Equal([0.25f, 0.375f, 0.75f, 0.625f], only.Coordinates[..4]);
    }

    private static InputDetection Detection(float left, float score)
    {
        var coordinates = new float[16];
        (coordinates[0], coordinates[1], coordinates[2], coordinates[3]) = (left, 0.1f, left + 0.2f, 0.3f);
        return new InputDetection(coordinates, score);
    }
}
