using static TorchSharp.torch;

namespace Likeness.Model.Identity;

/// <summary>The face recogniser f: an aligned face crop in, 512-d identity features out.</summary>
/// <remarks>
/// Any recogniser can stand in (a pretrained ArcFace-style network, say) as long as it keeps this
/// contract. Input: [batch, 3, <see cref="InputSize"/>, <see cref="InputSize"/>], RGB scaled to -1..1.
/// Output: [batch, 1 + L, 512]; token 0 is the pooled identity embedding (the f(x) of the identity
/// preservation loss), tokens 1..L are spatial features the identity bank may attend to.
/// </remarks>
public abstract class FaceBackbone : nn.Module<Tensor, Tensor>
{
    /// <summary>Width of every feature token.</summary>
    public const int FeatureDim = 512;

    protected FaceBackbone(string name) : base(name)
    {
    }

    /// <summary>Side of the square input crop in pixels.</summary>
    public abstract int InputSize { get; }
}
