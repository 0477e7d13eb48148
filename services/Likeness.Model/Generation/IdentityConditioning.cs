using static TorchSharp.torch;

namespace Likeness.Model.Generation;

/// <summary>What the identity attention of every block reads: each character's keys, and where and how strongly it applies.</summary>
/// <param name="Tokens">
/// [characters, keys, width], shared by the whole batch, or [batch, characters, keys, width] when every clip of a
/// training batch has its own cast: each character's projected identity tokens followed by the separator.
/// </param>
/// <param name="Weight">[batch, characters, frames × patches]: identity_strength inside the character's region, 0 outside.</param>
public sealed record IdentityConditioning(Tensor Tokens, Tensor Weight);
