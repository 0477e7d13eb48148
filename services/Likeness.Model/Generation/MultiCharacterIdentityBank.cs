using Likeness.Model.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Generation;

/// <summary>
/// Keeps characters apart: one bank (projection) per character slot, a learned separator closing each character's
/// tokens, and a weight that confines each character's identity attention to its region and scales it by its strength.
/// </summary>
public sealed class MultiCharacterIdentityBank : nn.Module
{
    private readonly ModuleList<Linear> banks;
    private readonly Parameter character_separator;

    public MultiCharacterIdentityBank(string name, VideoModelConfig config) : base(name)
    {
        banks = new ModuleList<Linear>();
        for (var i = 0; i < config.MaxCharacters; i++)
        {
            banks.Add(nn.Linear(config.IdentityDim, config.Width));
        }

        character_separator = nn.Parameter(randn(1, config.Width) * 0.02);
        RegisterComponents();
    }

    /// <param name="characterTokens">One [tokens, identityDim] tensor per character, in slot order.</param>
    /// <param name="regions">[characters, frames × patches] in 0..1: 1 where the character may appear.</param>
    /// <param name="strengths">[characters] identity strengths in 0..1.</param>
    /// <returns>Conditioning for a batch of one.</returns>
    public IdentityConditioning Build(IReadOnlyList<Tensor> characterTokens, Tensor regions, Tensor strengths)
    {
        if (characterTokens.Count == 0 || characterTokens.Count > banks.Count)
        {
            throw new ArgumentException($"Between 1 and {banks.Count} characters are supported.", nameof(characterTokens));
        }

        using var scope = NewDisposeScope();
        var tokens = stack(characterTokens.Select((t, c) => Project(t, c)).ToList(), 0);  // [C, tokens + 1, width]
        var weight = (regions.clamp(Scalars.Zero, Scalars.One) * strengths.unsqueeze(1)).unsqueeze(0);          // [1, C, V]
        return new IdentityConditioning(scope.MoveToOuter(tokens), scope.MoveToOuter(weight));
    }

    /// <summary>Conditioning for a training batch in which every clip has its own characters.</summary>
    /// <param name="characterTokens">[batch, characters, tokens, identityDim].</param>
    /// <param name="weight">[batch, characters, frames × patches]: strength inside each character's region, 0 outside.</param>
    /// <param name="firstSlot">Bank of the first character; the rest take the slots after it.</param>
    public IdentityConditioning BuildBatch(Tensor characterTokens, Tensor weight, int firstSlot = 0)
    {
        var characters = (int)characterTokens.shape[1];
        if (firstSlot < 0 || firstSlot + characters > banks.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(firstSlot), $"Slots {firstSlot}..{firstSlot + characters - 1} exceed the {banks.Count} banks.");
        }

        using var scope = NewDisposeScope();
        var tokens = stack(Enumerable.Range(0, characters).Select(c => Project(characterTokens[.., c], firstSlot + c)).ToList(), 1);
        return new IdentityConditioning(scope.MoveToOuter(tokens), scope.MoveToOuter(weight.clamp(Scalars.Zero, Scalars.One)));
    }

    /// <summary>[..., tokens, identityDim] → [..., tokens + 1, width]: the slot's bank, then the separator.</summary>
    private Tensor Project(Tensor tokens, int slot)
    {
        var projected = banks[slot].call(tokens);
        var shape = projected.shape.ToArray();
        shape[^2] = 1;
        return cat([projected, character_separator.expand(shape)], -2);
    }
}
