using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Layers;

/// <summary>Normalisation layers built with their affine parameters set as PyTorch sets them.</summary>
public static class Normalization
{
    /// <summary>
    /// GroupNorm with up to 8 groups of at least 4 channels each (fewer groups when the channels do not divide),
    /// weight 1 and bias 0.
    /// </summary>
    /// <remarks>
    /// TorchSharp 0.107's GroupNorm leaves its affine parameters uninitialised (garbage memory); they are set here.
    /// Groups of fewer than 4 channels gave NaN losses within a few training steps on CPU; 4 or more never did.
    /// </remarks>
    public static GroupNorm Group(int channels)
    {
        var groups = 8;
        while (groups > 1 && (channels % groups != 0 || channels / groups < 4))
        {
            groups--;
        }

        var norm = nn.GroupNorm(groups, channels);
        using (no_grad())
        {
            nn.init.ones_(norm.weight!);
            nn.init.zeros_(norm.bias!);
        }

        return norm;
    }
}
