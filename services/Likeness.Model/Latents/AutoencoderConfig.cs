using System.Text.Json.Serialization;

namespace Likeness.Model.Latents;

/// <summary>Architecture of the frame autoencoder, and the latent statistics that make its latents unit-scaled for diffusion.</summary>
public sealed record AutoencoderConfig
{
    /// <summary>Channels of each resolution level, from full resolution down; each level after the first halves the side. Default 16, 32, 64 (4× down).</summary>
    [JsonPropertyName("widths")]
    public IReadOnlyList<int> Widths { get; init; } = [16, 32, 64];

    /// <summary>Latent channels. Default 4.</summary>
    [JsonPropertyName("latent_channels")]
    public int LatentChannels { get; init; } = 4;

    /// <summary>
    /// Subtracted from raw latents before <see cref="ScalingFactor"/> multiplies them, so the denoiser sees zero-mean,
    /// unit-variance latents (the shift/scale pair of Stable Diffusion 3's VAE). Measured on cast frames after training.
    /// </summary>
    [JsonPropertyName("shift_factor")]
    public float ShiftFactor { get; init; }

    /// <summary>1 / the standard deviation of shifted raw latents over cast frames; 1 until measured.</summary>
    [JsonPropertyName("scaling_factor")]
    public float ScalingFactor { get; init; } = 1f;

    /// <summary>Pixels per latent cell along a side: 2^(levels − 1).</summary>
    [JsonIgnore]
    public int Downsample => 1 << (Widths.Count - 1);

    /// <summary>Throws when the numbers cannot build a model.</summary>
    public void Validate()
    {
        if (Widths.Count < 1 || Widths.Any(w => w <= 0) || LatentChannels <= 0 || !float.IsFinite(ScalingFactor) || ScalingFactor <= 0
            || !float.IsFinite(ShiftFactor))
        {
            throw new InvalidOperationException($"Autoencoder config is not usable: {this}.");
        }
    }
}
