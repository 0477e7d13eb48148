using Likeness.Model.Layers;
using Likeness.Model.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Likeness.Model.Latents;

/// <summary>
/// A small convolutional autoencoder between RGB frames and the latents the video denoiser works on: 64×64×3 → 16×16×4
/// with the default widths. Deterministic (no sampling in the bottleneck): the cast's flat-shaded frames need no KL term,
/// and the latents are brought to unit scale by the measured <see cref="AutoencoderConfig.ShiftFactor"/> and
/// <see cref="AutoencoderConfig.ScalingFactor"/> instead, as Stable Diffusion's VAE does with its scaling factor.
/// </summary>
public sealed class FrameAutoencoder : nn.Module<Tensor, Tensor>
{
    private readonly Sequential encoder;
    private readonly Sequential decoder;

    public FrameAutoencoder(AutoencoderConfig config) : base(nameof(FrameAutoencoder))
    {
        config.Validate();
        Config = config;
        var widths = config.Widths;
        var down = new List<(string, nn.Module<Tensor, Tensor>)> { ("stem", new Convolution2d(3, widths[0], 3, padding: 1)) };
        for (var level = 0; level < widths.Count; level++)
        {
            down.Add(($"res{level}", new ResidualBlock($"res{level}", widths[level])));
            if (level + 1 < widths.Count)
            {
                down.Add(($"down{level}", new Convolution2d(widths[level], widths[level + 1], 3, stride: 2, padding: 1)));
            }
        }

        down.Add(("norm_out", Normalization.Group(widths[^1])));
        down.Add(("act_out", nn.SiLU()));
        down.Add(("to_latent", new Convolution2d(widths[^1], config.LatentChannels, 1)));
        encoder = nn.Sequential(down);

        var up = new List<(string, nn.Module<Tensor, Tensor>)> { ("from_latent", new Convolution2d(config.LatentChannels, widths[^1], 3, padding: 1)) };
        for (var level = widths.Count - 1; level >= 0; level--)
        {
            up.Add(($"res{level}", new ResidualBlock($"res{level}", widths[level])));
            if (level > 0)
            {
                up.Add(($"up{level}", nn.Upsample(scale_factor: [2.0, 2.0], mode: UpsampleMode.Nearest)));
                up.Add(($"conv{level}", new Convolution2d(widths[level], widths[level - 1], 3, padding: 1)));
            }
        }

        up.Add(("norm_out", Normalization.Group(widths[0])));
        up.Add(("act_out", nn.SiLU()));
        up.Add(("to_rgb", new Convolution2d(widths[0], 3, 3, padding: 1)));
        decoder = nn.Sequential(up);
        RegisterComponents();
    }

    public AutoencoderConfig Config { get; private set; }

    /// <summary>Sets the latent statistics measured after training (they change no weight, only how latents are scaled).</summary>
    public void UseLatentStatistics(float shift, float scale) => Config = Config with { ShiftFactor = shift, ScalingFactor = scale };

    /// <summary>The decoder's parameters alone, for fine-tuning it on the latents a frozen encoder makes.</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> DecoderParameters() => decoder.parameters();

    /// <summary>Frames to unit-scaled latents.</summary>
    /// <param name="frames">[N, 3, H, W] RGB in -1..1; H and W multiples of <see cref="AutoencoderConfig.Downsample"/>.</param>
    /// <returns>[N, latent channels, H / downsample, W / downsample].</returns>
    public Tensor Encode(Tensor frames)
    {
        using var scope = NewDisposeScope();
        using var shift = (-Config.ShiftFactor).ToScalar();   // Scalars held until the calls return (see Runtime.Scalars)
        using var scale = Config.ScalingFactor.ToScalar();
        var latents = encoder.call(frames).add(shift, Scalars.One).mul(scale);
        return scope.MoveToOuter(latents);
    }

    /// <summary>Unit-scaled latents back to frames.</summary>
    /// <param name="latents">[N, latent channels, h, w].</param>
    /// <returns>[N, 3, h × downsample, w × downsample], not clamped (clamp to -1..1 before turning into pixels).</returns>
    public Tensor Decode(Tensor latents)
    {
        using var scope = NewDisposeScope();
        using var scale = Config.ScalingFactor.ToScalar();   // Scalars held until the calls return (see Runtime.Scalars)
        using var shift = Config.ShiftFactor.ToScalar();
        var frames = decoder.call(latents.div(scale).add(shift, Scalars.One));
        return scope.MoveToOuter(frames);
    }

    /// <summary>The reconstruction of <paramref name="frames"/>: decode(encode(x)).</summary>
    /// <param name="frames">[N, 3, H, W] in -1..1.</param>
    /// <returns>[N, 3, H, W].</returns>
    public override Tensor forward(Tensor frames)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Decode(Encode(frames)));
    }

    /// <summary>GroupNorm → SiLU → conv, twice, added to the input.</summary>
    private sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
        private readonly GroupNorm norm1;
        private readonly Convolution2d conv1;
        private readonly GroupNorm norm2;
        private readonly Convolution2d conv2;

        public ResidualBlock(string name, int channels) : base(name)
        {
            norm1 = Normalization.Group(channels);
            conv1 = new Convolution2d(channels, channels, 3, padding: 1);
            norm2 = Normalization.Group(channels);
            conv2 = new Convolution2d(channels, channels, 3, padding: 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = conv1.call(nn.functional.silu(norm1.call(x)));
            h = conv2.call(nn.functional.silu(norm2.call(h)));
            return scope.MoveToOuter(x.add(h, Scalars.One));
        }
    }
}
