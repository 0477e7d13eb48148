using Likeness.Model.Layers;
using Likeness.Model.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Generation;

/// <summary>
/// One denoiser block: spatial self-attention within each frame, temporal self-attention across frames at each
/// patch position, identity cross-attention (each character's attended separately, confined to its region and
/// scaled by its strength),
/// text cross-attention and an MLP, each pre-normed; the timestep shifts and scales every norm's output.
/// </summary>
public sealed class IdentityAwareBlock : nn.Module<Tensor, DenoiserContext, Tensor>
{
    private const int Branches = 5;
    private readonly ModuleList<LayerNorm> norms;
    private readonly Linear modulation;
    private readonly CrossAttention spatial_attn;
    private readonly CrossAttention temporal_attn;
    private readonly CrossAttention identity_attn;
    private readonly CrossAttention text_attn;
    private readonly FeedForward mlp;

    public IdentityAwareBlock(string name, int width, int heads) : base(name)
    {
        norms = new ModuleList<LayerNorm>();
        for (var i = 0; i < Branches; i++)
        {
            norms.Add(nn.LayerNorm(width, elementwise_affine: false));
        }

        modulation = nn.Linear(width, 2 * Branches * width);
        spatial_attn = new CrossAttention(nameof(spatial_attn), width, heads);
        temporal_attn = new CrossAttention(nameof(temporal_attn), width, heads);
        identity_attn = new CrossAttention(nameof(identity_attn), width, heads);
        text_attn = new CrossAttention(nameof(text_attn), width, heads);
        mlp = new FeedForward(nameof(mlp), width);
        RegisterComponents();
    }

    /// <param name="x">[batch, frames, patches, width].</param>
    /// <returns>[batch, frames, patches, width].</returns>
    public override Tensor forward(Tensor x, DenoiserContext context)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], frames = x.shape[1], patches = x.shape[2], width = x.shape[3];
        // [batch, frames, 1, branch, (shift, scale), width] from each frame's timestep embedding; 1 + scale for every
        // branch at once, then one addcmul per norm.
        var time = context.Time.dim() == 2 ? context.Time.unsqueeze(1) : context.Time;   // [batch, width]: one level for every frame
        var shiftScale = modulation.call(nn.functional.silu(time)).view(batch, time.shape[1], 1, Branches, 2, width);
        var shift = shiftScale[.., .., .., .., 0];
        var scale = shiftScale[.., .., .., .., 1].add(Scalars.One, Scalars.One);

        Tensor Norm(int branch, Tensor h) => addcmul(shift[.., .., .., branch], norms[branch].call(h), scale[.., .., .., branch], Scalars.One);

        // Spatial: each frame is a sequence of patches.
        var h = Norm(0, x).reshape(batch * frames, patches, width);
        x = x.add(spatial_attn.call(h, h).view(batch, frames, patches, width), Scalars.One);

        // Temporal: each patch position is a sequence of frames.
        h = Norm(1, x).permute(0, 2, 1, 3).reshape(batch * patches, frames, width);
        x = x.add(temporal_attn.call(h, h).view(batch, patches, frames, width).permute(0, 2, 1, 3), Scalars.One);

        // Identity: every video token attends to each character's tokens on their own; a character's result counts
        // only inside its region, times its strength, so characters neither mix in attention nor leak outside.
        var identity = context.Identity;
        var tokens = identity.Tokens.dim() == 3 ? identity.Tokens.unsqueeze(0).expand(batch, -1, -1, -1) : identity.Tokens;
        long characters = tokens.shape[1], keys = tokens.shape[2], videoTokens = frames * patches;
        h = Norm(2, x).reshape(batch, 1, videoTokens, width).expand(-1, characters, -1, -1).reshape(batch * characters, videoTokens, width);
        var characterKeys = tokens.reshape(batch * characters, keys, width);
        var perCharacter = identity_attn.call(h, characterKeys).view(batch, characters, videoTokens, width);
        x = x.add((perCharacter * identity.Weight.unsqueeze(-1)).sum(1).view(batch, frames, patches, width), Scalars.One);

        h = Norm(3, x).reshape(batch, frames * patches, width);
        x = x.add(text_attn.call(h, context.Text).view(batch, frames, patches, width), Scalars.One);

        x = x.add(mlp.call(Norm(4, x)), Scalars.One);
        return scope.MoveToOuter(x);
    }
}
