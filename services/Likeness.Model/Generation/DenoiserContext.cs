using static TorchSharp.torch;

namespace Likeness.Model.Generation;

/// <summary>The conditioning every block of the denoiser reads at one step.</summary>
/// <param name="Time">[batch, width]: one timestep embedding for every frame; or [batch, frames, width], each frame's own.</param>
/// <param name="Text">[batch, text tokens, width] encoded prompt.</param>
/// <param name="Identity">Character identities with their masks and strengths.</param>
public sealed record DenoiserContext(Tensor Time, Tensor Text, IdentityConditioning Identity);
