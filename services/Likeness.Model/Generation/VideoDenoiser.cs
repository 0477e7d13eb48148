using Likeness.Model.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Generation;

/// <summary>
/// The video diffusion transformer: patchified frames (pixels, or the frame autoencoder's latents) in, the prediction its
/// <see cref="VideoModelConfig.Objective"/> names out (velocity for rectified flow, noise for epsilon).
/// </summary>
public sealed class VideoDenoiser : nn.Module<Tensor, Tensor, Tensor, IdentityConditioning, Tensor>
{
    private readonly Linear patch_embed;
    private readonly Parameter spatial_position;
    private readonly Parameter temporal_position;
    private readonly TimestepEmbedding time_embed;
    private readonly TextEncoder text_encoder;
    private readonly MultiCharacterIdentityBank identity_bank;
    private readonly ModuleList<IdentityAwareBlock> blocks;
    private readonly LayerNorm norm_out;
    private readonly Linear out_modulation;
    private readonly Linear unpatch;

    public VideoDenoiser(VideoModelConfig config) : base(nameof(VideoDenoiser))
    {
        config.Validate();
        Config = config;
        var patchValues = config.Channels * config.LatentPatchSize * config.LatentPatchSize;
        var grid = config.MaxSide / config.PatchSize;
        patch_embed = nn.Linear(patchValues, config.Width);
        spatial_position = nn.Parameter(randn(grid * grid, config.Width) * 0.02);
        temporal_position = nn.Parameter(randn(config.MaxFrames, config.Width) * 0.02);
        time_embed = new TimestepEmbedding(nameof(time_embed), config.Width);
        text_encoder = new TextEncoder(nameof(text_encoder), config);
        identity_bank = new MultiCharacterIdentityBank(nameof(identity_bank), config);
        blocks = new ModuleList<IdentityAwareBlock>();
        for (var i = 0; i < config.Blocks; i++)
        {
            blocks.Add(new IdentityAwareBlock($"block{i}", config.Width, config.Heads));
        }

        norm_out = nn.LayerNorm(config.Width, elementwise_affine: false);
        out_modulation = nn.Linear(config.Width, 2 * config.Width);
        unpatch = nn.Linear(config.Width, patchValues);
        RegisterComponents();
    }

    public VideoModelConfig Config { get; }

    public MultiCharacterIdentityBank IdentityBank => identity_bank;

    /// <summary>Encodes prompt ids once per job; reused at every step.</summary>
    /// <param name="ids">[batch, text tokens].</param>
    public Tensor EncodeText(Tensor ids) => text_encoder.call(ids);

    /// <param name="noisy">[batch, frames, channels, h, w] noisy frames x_t in the denoiser's space.</param>
    /// <param name="timesteps">
    /// [batch] timestep inputs (<see cref="Sampling.DenoisingObjective.ModelTime"/>), one level for every frame, or
    /// [batch, frames], a level per frame (diffusion forcing, Chen et al. 2024): frames given as context can be clean while
    /// the others are noisy. Every modulation then reads its own frame's level; [batch] equals the same level repeated.
    /// </param>
    /// <param name="text">[batch, text tokens, width] from <see cref="EncodeText"/>.</param>
    /// <param name="identity">From <see cref="MultiCharacterIdentityBank.Build"/>, batch 1 or matching.</param>
    /// <returns>[batch, frames, channels, h, w]: the objective's prediction.</returns>
    public override Tensor forward(Tensor noisy, Tensor timesteps, Tensor text, IdentityConditioning identity)
    {
        using var scope = NewDisposeScope();
        long batch = noisy.shape[0], frames = noisy.shape[1], height = noisy.shape[3], width = noisy.shape[4];
        var p = Config.LatentPatchSize;
        var channels = Config.Channels;
        long rows = height / p, columns = width / p;

        // [B, F, C, H, W] → [B, F, rows × columns, C × p × p]
        var patches = noisy.reshape(batch, frames, channels, rows, p, columns, p)
            .permute(0, 1, 3, 5, 2, 4, 6)
            .reshape(batch, frames, rows * columns, channels * p * p);
        var x = patch_embed.call(patches)
            .add(SpatialPositions(rows, columns).unsqueeze(0).unsqueeze(0), Scalars.One)
            .add(temporal_position[..(int)frames].unsqueeze(0).unsqueeze(2), Scalars.One);

        // One level for the clip is embedded once ([batch, width]; every block applies it to every frame), so sampling
        // without given frames costs what it did; a level per frame gives [batch, frames, width].
        var time = timesteps.dim() == 2
            ? time_embed.call(timesteps.reshape(batch * frames)).view(batch, frames, -1)
            : time_embed.call(timesteps);
        var context = new DenoiserContext(time, text, Broadcast(identity, batch));
        foreach (var block in blocks)
        {
            x = block.call(x, context);
        }

        var shiftScale = out_modulation.call(nn.functional.silu(context.Time)).view(batch, time.dim() == 3 ? frames : 1, 1, 2, -1);
        x = addcmul(shiftScale[.., .., .., 0], norm_out.call(x), shiftScale[.., .., .., 1].add(Scalars.One, Scalars.One), Scalars.One);
        var output = unpatch.call(x)
            .reshape(batch, frames, rows, columns, channels, p, p)
            .permute(0, 1, 4, 2, 5, 3, 6)
            .reshape(batch, frames, channels, height, width);
        return scope.MoveToOuter(output);
    }

    /// <summary>The top-left rows × columns of the position table, so smaller frames reuse it.</summary>
    private Tensor SpatialPositions(long rows, long columns)
    {
        var grid = Config.MaxSide / Config.PatchSize;
        return spatial_position.view(grid, grid, -1)[..(int)rows, ..(int)columns].reshape(rows * columns, -1);
    }

    private static IdentityConditioning Broadcast(IdentityConditioning identity, long batch) =>
        identity.Weight.shape[0] == batch ? identity : identity with { Weight = identity.Weight.expand(batch, -1, -1) };
}
