using Likeness.Model.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Faces;

/// <summary>
/// dlib's face recognition ResNet (<c>dlib_face_recognition_resnet_model_v1</c>, Davis King, public domain), laid out as
/// face-api ships it: a 150×150 RGB chip in, a 128-float descriptor out, compared by Euclidean distance.
/// </summary>
/// <remarks>
/// Sources: dlib's <c>examples/dnn_face_recognition_ex.cpp</c> (the network definition) and
/// <c>@vladmandic/face-api</c> 1.7.15 <c>src/faceRecognitionNet</c> (the TF.js port whose weights and arithmetic this
/// follows exactly). Every convolution adds its bias, then a per-channel scale and shift (dlib's affine layer,
/// batch-norm folded at training's end), then a ReLU except before a residual sum. Strided convolutions use 'valid'
/// padding, stride-1 3×3 convolutions 'same'.
/// Shapes for one chip: stem 7×7/2 → [32, 72, 72], max-pool 3×3/2 → [32, 35, 35], 3 × res32, down → [64, 17, 17],
/// 3 × res64, down → [128, 8, 8], 2 × res128, down → [256, 4, 4] (the strided branch gives 3×3 and is padded), 2 × res256,
/// down → [256, 2, 2], mean → [256], fc → [128]. No normalisation of the output: norms come out near 1.4–1.5.
/// </remarks>
public sealed class FaceRecogniser : nn.Module<Tensor, Tensor>
{
    /// <summary>Side of the square input chip, in pixels.</summary>
    public const int ChipSize = 150;

    /// <summary>Length of one descriptor.</summary>
    public const int DescriptorLength = 128;

    private readonly ConvUnit conv32_down;
    private readonly Residual conv32_1;
    private readonly Residual conv32_2;
    private readonly Residual conv32_3;
    private readonly Residual conv64_down;
    private readonly Residual conv64_1;
    private readonly Residual conv64_2;
    private readonly Residual conv64_3;
    private readonly Residual conv128_down;
    private readonly Residual conv128_1;
    private readonly Residual conv128_2;
    private readonly Residual conv256_down;
    private readonly Residual conv256_1;
    private readonly Residual conv256_2;
    private readonly Residual conv256_down_out;
    private readonly Linear fc;
    private readonly float[] meanRgb;
    private readonly float divisor;


    public FaceRecogniser(FaceRecogniserConfig config) : base(nameof(FaceRecogniser))
    {
        config.Validate();
        meanRgb = [.. config.MeanRgb];
        divisor = config.Divisor;
        conv32_down = new ConvUnit("conv32_down", 3, 32, kernel: 7, stride: 2);
        conv32_1 = new Residual("conv32_1", 32, 32, down: false);
        conv32_2 = new Residual("conv32_2", 32, 32, down: false);
        conv32_3 = new Residual("conv32_3", 32, 32, down: false);
        conv64_down = new Residual("conv64_down", 32, 64, down: true);
        conv64_1 = new Residual("conv64_1", 64, 64, down: false);
        conv64_2 = new Residual("conv64_2", 64, 64, down: false);
        conv64_3 = new Residual("conv64_3", 64, 64, down: false);
        conv128_down = new Residual("conv128_down", 64, 128, down: true);
        conv128_1 = new Residual("conv128_1", 128, 128, down: false);
        conv128_2 = new Residual("conv128_2", 128, 128, down: false);
        conv256_down = new Residual("conv256_down", 128, 256, down: true);
        conv256_1 = new Residual("conv256_1", 256, 256, down: false);
        conv256_2 = new Residual("conv256_2", 256, 256, down: false);
        conv256_down_out = new Residual("conv256_down_out", 256, 256, down: true);
        fc = nn.Linear(256, DescriptorLength, hasBias: false);
        RegisterComponents();
    }

    /// <param name="chips">[N, 3, 150, 150] float RGB in 0..255.</param>
    /// <returns>[N, 128] descriptors.</returns>
    public override Tensor forward(Tensor chips)
    {
        if (chips.ndim != 4 || chips.shape[1] != 3 || chips.shape[2] != ChipSize || chips.shape[3] != ChipSize)
        {
            throw new ArgumentException(
                $"Expected chips of shape [N, 3, {ChipSize}, {ChipSize}], got [{string.Join(", ", chips.shape)}].", nameof(chips));
        }

        using var scope = NewDisposeScope();
        // As face-api: subtract the float32 mean, then divide, in that order (float32 arithmetic throughout).
        var mean = tensor(meanRgb, [1, 3, 1, 1], dtype: float32, device: chips.device);
        var x = chips.to_type(float32).sub(mean).div(tensor(divisor, float32, chips.device));  // [N, 3, 150, 150]
        x = conv32_down.call(x);                                                            // [N, 32, 72, 72]
        x = nn.functional.max_pool2d(x, 3, 2);                                             // [N, 32, 35, 35]
        foreach (var block in new[]
        {
            conv32_1, conv32_2, conv32_3,
            conv64_down, conv64_1, conv64_2, conv64_3,                                     // [N, 64, 17, 17]
            conv128_down, conv128_1, conv128_2,                                            // [N, 128, 8, 8]
            conv256_down, conv256_1, conv256_2,                                            // [N, 256, 4, 4]
            conv256_down_out,                                                              // [N, 256, 2, 2]
        })
        {
            x = block.call(x);
        }

        return scope.MoveToOuter(fc.call(x.mean([2, 3])));                                  // [N, 128]
    }

    /// <summary>Convolution with bias, then dlib's per-channel affine (scale, shift), then optionally a ReLU.</summary>
    private sealed class ConvUnit : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv;
        private readonly ChannelAffine scale;
        private readonly bool relu;

        public ConvUnit(string name, int input, int output, int kernel, int stride, bool relu = true) : base(name)
        {
            // Stride 2 is TF's 'valid' (no padding); stride 1 is 'same', which for an odd kernel is kernel/2 on every side.
            conv = nn.Conv2d(input, output, kernel, stride: stride, padding: stride == 1 ? kernel / 2 : 0, bias: true);
            scale = new ChannelAffine("scale", output);
            this.relu = relu;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = scale.call(conv.call(x));
            return scope.MoveToOuter(relu ? nn.functional.relu(y) : y);
        }
    }

    /// <summary>y = x · weight + bias per channel (dlib's affine layer); checkpoint keys <c>weight</c> and <c>bias</c>.</summary>
    private sealed class ChannelAffine : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter weight;
        private readonly Parameter bias;

        public ChannelAffine(string name, int channels) : base(name)
        {
            weight = nn.Parameter(ones(channels));
            bias = nn.Parameter(zeros(channels));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return scope.MoveToOuter(x.mul(weight.view(1, -1, 1, 1)).add(bias.view(1, -1, 1, 1), Scalars.One));
        }
    }

    /// <summary>
    /// Two 3×3 convolutions around an identity skip. A down block's first convolution is 3×3 stride 2 'valid'; its skip
    /// is a 2×2 average pool with zero channels appended; where the two differ in size, the convolution branch gets a
    /// zero row at the bottom and a zero column at the right (face-api's <c>residualDown</c>).
    /// </summary>
    private sealed class Residual : nn.Module<Tensor, Tensor>
    {
        private readonly ConvUnit conv1;
        private readonly ConvUnit conv2;
        private readonly bool down;
        private readonly long addedChannels;

        public Residual(string name, int input, int output, bool down) : base(name)
        {
            if (!down && input != output)
            {
                throw new ArgumentException("A residual block that does not downsample keeps its width.", nameof(output));
            }

            conv1 = new ConvUnit("conv1", input, output, kernel: 3, stride: down ? 2 : 1);
            conv2 = new ConvUnit("conv2", output, output, kernel: 3, stride: 1, relu: false);
            this.down = down;
            addedChannels = output - input;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = conv2.call(conv1.call(x));
            var skip = x;
            if (down)
            {
                skip = nn.functional.avg_pool2d(x, 2, 2);                                   // [N, C, ⌊H/2⌋, ⌊W/2⌋]
                var rows = skip.shape[2] - y.shape[2];
                var columns = skip.shape[3] - y.shape[3];
                if (rows != 0 || columns != 0)
                {
                    y = nn.functional.pad(y, [0, columns, 0, rows]);                         // zeros at the right and bottom
                }

                if (addedChannels > 0)
                {
                    skip = cat([skip, zeros(skip.shape[0], addedChannels, skip.shape[2], skip.shape[3], dtype: skip.dtype, device: skip.device)], 1);
                }
            }

            return scope.MoveToOuter(nn.functional.relu(y.add(skip, Scalars.One)));
        }
    }
}
