using Likeness.Model.Layers;
using Likeness.Model.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Identity;

/// <summary>A compact residual CNN face backbone: four stride-2 stages down to a 7×7 grid of 512-d features.</summary>
public sealed class ConvFaceBackbone : FaceBackbone
{
    private readonly Sequential stem;
    private readonly ModuleList<ResidualStage> stages;
    private readonly Convolution2d to_features;
    private readonly Linear embedding;
    private readonly LayerNorm embedding_norm;

    public ConvFaceBackbone(string name, int inputSize, IReadOnlyList<int> widths) : base(name)
    {
        if (widths.Count == 0)
        {
            throw new ArgumentException("At least one stage width is needed.", nameof(widths));
        }

        InputSize = inputSize;
        stem = nn.Sequential(
            ("conv", new Convolution2d(3, widths[0], 3, stride: 2, padding: 1, bias: false)),
            ("norm", Normalization.Group(widths[0])),
            ("act", nn.SiLU()));
        stages = new ModuleList<ResidualStage>();
        for (var i = 0; i < widths.Count; i++)
        {
            var input = widths[Math.Max(0, i - 1)];
            stages.Add(new ResidualStage($"stage{i}", input, widths[i], stride: i == 0 ? 1 : 2));
        }

        to_features = new Convolution2d(widths[^1], FeatureDim, 1);
        embedding = nn.Linear(FeatureDim, FeatureDim);
        embedding_norm = nn.LayerNorm(FeatureDim);
        RegisterComponents();
    }

    public override int InputSize { get; }

    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = stem.call(images);
        foreach (var stage in stages)
        {
            x = stage.call(x);
        }

        var spatial = to_features.call(x).flatten(2).transpose(1, 2);          // [batch, L, 512]
        var pooled = embedding_norm.call(embedding.call(spatial.mean([1])));   // [batch, 512]
        return scope.MoveToOuter(cat([pooled.unsqueeze(1), spatial], 1));           // [batch, 1 + L, 512]
    }

    private sealed class ResidualStage : nn.Module<Tensor, Tensor>
    {
        private readonly Convolution2d conv1;
        private readonly GroupNorm norm1;
        private readonly Convolution2d conv2;
        private readonly GroupNorm norm2;
        private readonly Convolution2d? shortcut;

        public ResidualStage(string name, int input, int output, int stride) : base(name)
        {
            conv1 = new Convolution2d(input, output, 3, stride: stride, padding: 1, bias: false);
            norm1 = Normalization.Group(output);
            conv2 = new Convolution2d(output, output, 3, padding: 1, bias: false);
            norm2 = Normalization.Group(output);
            shortcut = input != output || stride != 1 ? new Convolution2d(input, output, 1, stride: stride, bias: false) : null;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = nn.functional.silu(norm1.call(conv1.call(x)));
            h = norm2.call(conv2.call(h));
            var skip = shortcut is null ? x : shortcut.call(x);
            return scope.MoveToOuter(nn.functional.silu(h.add(skip, Scalars.One)));
        }
    }
}
