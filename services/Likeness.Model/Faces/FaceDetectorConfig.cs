using System.Text.Json.Serialization;

namespace Likeness.Model.Faces;

/// <summary>
/// Architecture, anchors, decoding and provenance of a BlazeFace detector; stored in its manifest so the weights, the
/// module built for them and the way their outputs are read always agree.
/// </summary>
/// <remarks>
/// Anchor and decoding settings follow MediaPipe's <c>face_detection_short_range_common.pbtxt</c> (SsdAnchorsCalculator,
/// TensorsToDetectionsCalculator, NonMaxSuppressionCalculator): fixed-size anchors (1×1) centred at
/// ((x + 0.5) / W, (y + 0.5) / H) of each grid cell, 2 per cell on the fine grid and 6 on the coarse one; box and keypoint
/// offsets divided by the input size; sigmoid scores; weighted non-maximum suppression at IoU 0.3.
/// </remarks>
public sealed record FaceDetectorConfig
{
    /// <summary>Side of the square RGB input in pixels: 128 (front, short range) or 256 (back, full range).</summary>
    [JsonPropertyName("input_size")]
    public int InputSize { get; init; } = 128;

    /// <summary>Channels of the 5×5 stride-2 stem convolution. Default 24.</summary>
    [JsonPropertyName("stem_channels")]
    public int StemChannels { get; init; } = 24;

    /// <summary>The BlazeBlocks in order: depthwise 3×3 then pointwise 1×1, with an optional residual.</summary>
    [JsonPropertyName("blocks")]
    public IReadOnlyList<BlazeBlockConfig> Blocks { get; init; } = [];

    /// <summary>Index of the block whose output feeds the fine (16×16) heads.</summary>
    [JsonPropertyName("fine_head_block")]
    public int FineHeadBlock { get; init; }

    /// <summary>Index of the block whose output feeds the coarse (8×8) heads.</summary>
    [JsonPropertyName("coarse_head_block")]
    public int CoarseHeadBlock { get; init; }

    /// <summary>Input pixels per fine-grid cell: 8 for the 128 front model, 16 for the 256 back model. Default 8.</summary>
    [JsonPropertyName("fine_stride")]
    public int FineStride { get; init; } = 8;

    /// <summary>Input pixels per coarse-grid cell: 16 for the front model, 32 for the back model. Default 16.</summary>
    [JsonPropertyName("coarse_stride")]
    public int CoarseStride { get; init; } = 16;

    /// <summary>Anchors per cell of the fine grid. Default 2.</summary>
    [JsonPropertyName("fine_anchors_per_cell")]
    public int FineAnchorsPerCell { get; init; } = 2;

    /// <summary>Anchors per cell of the coarse grid. Default 6.</summary>
    [JsonPropertyName("coarse_anchors_per_cell")]
    public int CoarseAnchorsPerCell { get; init; } = 6;

    /// <summary>Regressor values per anchor: a box (centre x, centre y, width, height) and six (x, y) keypoints. Default 16.</summary>
    [JsonPropertyName("regressors_per_anchor")]
    public int RegressorsPerAnchor { get; init; } = 16;

    /// <summary>Lowest sigmoid score kept before suppression; MediaPipe's face detection uses 0.5. Default 0.5.</summary>
    [JsonPropertyName("score_threshold")]
    public float ScoreThreshold { get; init; } = 0.5f;

    /// <summary>Raw logits are clipped to ±this before the sigmoid, as MediaPipe does. Default 100.</summary>
    [JsonPropertyName("score_clipping")]
    public float ScoreClipping { get; init; } = 100f;

    /// <summary>Detections overlapping the best remaining one by more than this IoU are blended into it. Default 0.3.</summary>
    [JsonPropertyName("suppression_iou")]
    public float SuppressionIou { get; init; } = 0.3f;

    /// <summary>Where the weights came from.</summary>
    [JsonPropertyName("source")]
    public FaceDetectorSource? Source { get; init; }

    /// <summary>Cells per side of the fine grid (16 for both shipped models).</summary>
    [JsonIgnore]
    public int FineGrid => InputSize / FineStride;

    /// <summary>Cells per side of the coarse grid (8 for both shipped models).</summary>
    [JsonIgnore]
    public int CoarseGrid => InputSize / CoarseStride;

    /// <summary>All anchors, fine grid first: 16·16·2 + 8·8·6 = 896 for both shipped sizes.</summary>
    [JsonIgnore]
    public int AnchorCount => (FineGrid * FineGrid * FineAnchorsPerCell) + (CoarseGrid * CoarseGrid * CoarseAnchorsPerCell);

    /// <summary>Throws when the numbers cannot build a detector.</summary>
    public void Validate()
    {
        if (InputSize % CoarseStride != 0 || CoarseStride != 2 * FineStride || StemChannels <= 0 || Blocks.Count == 0 || RegressorsPerAnchor != 16)
        {
            throw new InvalidOperationException($"Face detector config is not usable: input {InputSize}, {Blocks.Count} blocks.");
        }

        if (FineHeadBlock < 0 || FineHeadBlock >= CoarseHeadBlock || CoarseHeadBlock >= Blocks.Count)
        {
            throw new InvalidOperationException($"Head blocks {FineHeadBlock} and {CoarseHeadBlock} do not fit {Blocks.Count} blocks.");
        }
    }
}

/// <summary>One BlazeBlock: depthwise 3×3 (stride 1 or 2, no bias), pointwise 1×1 with bias, optional residual, ReLU.</summary>
/// <param name="Input">Input channels.</param>
/// <param name="Output">Output channels; a residual zero-pads the skip's extra channels.</param>
/// <param name="Stride">1, or 2 (the skip is then a 2×2 max-pool).</param>
/// <param name="Residual">False only for the back model's last block.</param>
public sealed record BlazeBlockConfig(
    [property: JsonPropertyName("input")] int Input,
    [property: JsonPropertyName("output")] int Output,
    [property: JsonPropertyName("stride")] int Stride,
    [property: JsonPropertyName("residual")] bool Residual);

/// <summary>Provenance of imported detector weights.</summary>
public sealed record FaceDetectorSource(
    [property: JsonPropertyName("package")] string Package,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("licence")] string Licence,
    [property: JsonPropertyName("authors")] string Authors);
