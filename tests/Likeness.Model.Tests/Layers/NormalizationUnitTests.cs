using Likeness.Model.Layers;
using static TorchSharp.torch;

namespace Likeness.Model.Tests.Layers;

public sealed class NormalizationUnitTests
{
    [Fact]
    public void Group_StartsAsTheIdentityAffine_EveryTime()
    {
        for (var i = 0; i < 200; i++)
        {
            using var norm = Normalization.Group(24 + (8 * (i % 4)));
            Assert.All(norm.weight!.data<float>().ToArray(), w => Assert.Equal(1f, w));
            Assert.All(norm.bias!.data<float>().ToArray(), b => Assert.Equal(0f, b));
        }
    }

    [Fact]
    public void LayerNorm_StartsAsTheIdentityAffine_EveryTime()
    {
        for (var i = 0; i < 200; i++)
        {
            using var norm = nn.LayerNorm(512);
            Assert.All(norm.weight!.data<float>().ToArray(), w => Assert.Equal(1f, w));
            Assert.All(norm.bias!.data<float>().ToArray(), b => Assert.Equal(0f, b));
        }
    }
}
