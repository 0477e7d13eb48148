using Likeness.Model.Identity;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Training.Traits;

/// <summary>
/// Reads a cast character's traits from a face crop: a convolutional trunk (the face backbone's architecture, its own
/// seed and widths) and one linear head per <see cref="CastTrait"/> over the pooled 512-d features. A yardstick of the
/// evaluation, never trained against.
/// </summary>
public sealed class TraitClassifier : nn.Module<Tensor, Tensor[]>
{
    private readonly ConvFaceBackbone trunk;
    private readonly ModuleList<Linear> heads;

    public TraitClassifier(TraitClassifierConfig config) : base(nameof(TraitClassifier))
    {
        Config = config;
        trunk = new ConvFaceBackbone(nameof(trunk), config.InputSize, config.Widths);
        heads = new ModuleList<Linear>();
        foreach (var trait in CastTrait.All)
        {
            heads.Add(nn.Linear(FaceBackbone.FeatureDim, trait.Classes));
        }

        RegisterComponents();
    }

    public TraitClassifierConfig Config { get; }

    /// <param name="crops">[batch, 3, S, S] face crops in -1..1.</param>
    /// <returns>One [batch, classes] logits tensor per trait, in <see cref="CastTrait.All"/> order.</returns>
    public override Tensor[] forward(Tensor crops)
    {
        using var scope = NewDisposeScope();
        var features = trunk.call(crops)[.., 0];
        return heads.Select(h => scope.MoveToOuter(h.call(features))).ToArray();
    }

    /// <summary>The most likely class of every trait for each crop.</summary>
    /// <param name="crops">[3, S, S] crops in -1..1.</param>
    /// <returns>[crop][trait] class indices.</returns>
    public int[][] Predict(IReadOnlyList<float[]> crops)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var size = Config.InputSize;
        var logits = call(tensor(crops.SelectMany(c => c).ToArray(), [crops.Count, 3, size, size]));
        var classes = logits.Select(l => l.argmax(1).data<long>().ToArray()).ToArray();
        return Enumerable.Range(0, crops.Count).Select(i => classes.Select(c => (int)c[i]).ToArray()).ToArray();
    }
}

/// <summary>The trait classifier's architecture and how well it reads held-out renders.</summary>
public sealed record TraitClassifierConfig
{
    public int InputSize { get; init; } = 32;

    public IReadOnlyList<int> Widths { get; init; } = [32, 64, 128];

    /// <summary>Accuracy per trait on held-out characters' renders, in <see cref="CastTrait.All"/> order: the upper bound of generated frames.</summary>
    public IReadOnlyList<double> HeldOutAccuracy { get; init; } = [];

    public int Steps { get; init; }
}
