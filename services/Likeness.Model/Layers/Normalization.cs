using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Layers;

/// <summary>Normalisation layers built with their affine parameters set as PyTorch sets them.</summary>
public static class Normalization
{
    /// <summary>GroupNorm with 8 groups (1 when the channels do not divide), weight 1 and bias 0.</summary>
    /// <remarks>TorchSharp 0.107's GroupNorm leaves its affine parameters uninitialised (garbage memory); they are set here.</remarks>
    public static GroupNorm Group(int channels)
    {
        var norm = nn.GroupNorm(channels % 8 == 0 ? 8 : 1, channels);
        using (no_grad())
        {
            nn.init.ones_(norm.weight!);
            nn.init.zeros_(norm.bias!);
        }

        return norm;
    }
}
