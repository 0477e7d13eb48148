using Likeness.Model.Generation;
using static TorchSharp.torch;

namespace Likeness.Model.Tests.Generation;

public sealed class MultiCharacterIdentityBankUnitTests
{
    private static readonly VideoModelConfig Config = LoadedVideoModelUnitTests.Tiny;

    [Fact]
    public void Build_TwoCharacters_GivesEachItsBankSeparatorAndRegionWeight()
    {
        using var bank = new MultiCharacterIdentityBank("bank", Config);
        using var scope = NewDisposeScope();
        var (left, right) = Halves(videoTokens: 16);

        var conditioning = bank.Build([randn(8, 48), randn(8, 48)], stack([left, right]), tensor(new[] { 0.8f, 0.5f }));

        Assert.Equal(new long[] { 2, 8 + 1, 64 }, conditioning.Tokens.shape);
        Assert.True(conditioning.Tokens[0, 8].eq(conditioning.Tokens[1, 8]).all().item<bool>()); // one learned separator closes each
        var weight = conditioning.Weight[0];
        Assert.Equal(Enumerable.Range(0, 16).Select(i => i % 8 < 4 ? 0.8f : 0f), weight[0].data<float>().ToArray());
        Assert.Equal(Enumerable.Range(0, 16).Select(i => i % 8 < 4 ? 0f : 0.5f), weight[1].data<float>().ToArray());
    }

    [Fact]
    public void Block_TokensInOneCharactersRegion_HaveNoGradientFromTheOtherCharacter()
    {
        using var bank = new MultiCharacterIdentityBank("bank", Config);
        using var block = new IdentityAwareBlock("block", Config.Width, Config.Heads);
        using var time = new TimestepEmbedding("time", Config.Width);
        using var scope = NewDisposeScope();
        var first = randn(8, 48).requires_grad_();
        var second = randn(8, 48).requires_grad_();
        var (left, right) = Halves(videoTokens: 2 * 8);          // 2 frames × 8 patches; left = patches 0..3 of each frame
        var conditioning = bank.Build([first, second], stack([left, right]), tensor(new[] { 1f, 1f }));
        var context = new DenoiserContext(time.call(tensor(new long[] { 500 })), randn(1, 8, Config.Width), conditioning);

        var output = block.call(randn(1, 2, 8, Config.Width), context);   // [1, frames, patches, width]
        output[0, .., ..4].sum().backward();

        Assert.True(first.grad!.abs().sum().item<float>() > 0);
        Assert.Equal(0f, second.grad!.abs().sum().item<float>());
    }

    /// <summary>Per frame of 8 patches: the first four to the left character, the rest to the right.</summary>
    private static (Tensor Left, Tensor Right) Halves(int videoTokens)
    {
        var left = tensor(Enumerable.Range(0, videoTokens).Select(i => i % 8 < 4 ? 1f : 0f).ToArray());
        return (left, 1 - left);
    }
}
