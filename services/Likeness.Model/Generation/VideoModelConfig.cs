using System.Text.Json.Serialization;
using Likeness.Model.Generation.Sampling;

namespace Likeness.Model.Generation;

/// <summary>Architecture of the video denoiser; stored in its manifest so weights and shapes always agree.</summary>
public sealed record VideoModelConfig
{
    /// <summary>Transformer width. Default 256.</summary>
    [JsonPropertyName("width")]
    public int Width { get; init; } = 256;

    /// <summary>Identity-aware blocks. Default 4.</summary>
    [JsonPropertyName("blocks")]
    public int Blocks { get; init; } = 4;

    /// <summary>Attention heads in every attention. Default 4.</summary>
    [JsonPropertyName("heads")]
    public int Heads { get; init; } = 4;

    /// <summary>Side, in pixels, of the square patch of the frame one token covers. Default 4.</summary>
    [JsonPropertyName("patch_size")]
    public int PatchSize { get; init; } = 4;

    /// <summary>Largest frame side in pixels, which sizes the spatial position table. Default 64.</summary>
    [JsonPropertyName("max_side")]
    public int MaxSide { get; init; } = 64;

    /// <summary>Most frames per clip, which sizes the temporal position table. Default 16.</summary>
    [JsonPropertyName("max_frames")]
    public int MaxFrames { get; init; } = 16;

    /// <summary>Buckets of the hashed word vocabulary of the text encoder. Default 4096.</summary>
    [JsonPropertyName("text_vocabulary")]
    public int TextVocabulary { get; init; } = 4096;

    /// <summary>Prompt tokens the text encoder reads. Default 24.</summary>
    [JsonPropertyName("text_tokens")]
    public int TextTokens { get; init; } = 24;

    /// <summary>Width D of the identity tokens it accepts. Default 768.</summary>
    [JsonPropertyName("identity_dim")]
    public int IdentityDim { get; init; } = 768;

    /// <summary>Identity tokens per character. Default 32.</summary>
    [JsonPropertyName("identity_tokens")]
    public int IdentityTokens { get; init; } = 32;

    /// <summary>Characters per clip, one identity bank each. Default 8.</summary>
    [JsonPropertyName("max_characters")]
    public int MaxCharacters { get; init; } = 8;

    /// <summary>Steps of the DDPM training schedule of the <see cref="DenoisingObjectiveKind.Epsilon"/> objective. Default 1000.</summary>
    [JsonPropertyName("train_timesteps")]
    public int TrainTimesteps { get; init; } = 1000;

    /// <summary>What the denoiser predicts. Default rectified flow.</summary>
    [JsonPropertyName("objective")]
    public DenoisingObjectiveKind Objective { get; init; } = DenoisingObjectiveKind.RectifiedFlow;

    /// <summary>Channels of the space the denoiser works in: 3 for pixels, the autoencoder's latent channels otherwise. Default 3.</summary>
    [JsonPropertyName("channels")]
    public int Channels { get; init; } = 3;

    /// <summary>Pixels per cell of that space along a side: 1 for pixels, the autoencoder's downsampling otherwise. Default 1.</summary>
    [JsonPropertyName("latent_downsample")]
    public int LatentDownsample { get; init; } = 1;

    /// <summary>
    /// File name of the frame autoencoder's manifest, beside this model's manifest, when the denoiser works on its latents;
    /// null in pixel space.
    /// </summary>
    [JsonPropertyName("autoencoder")]
    public string? Autoencoder { get; init; }

    /// <summary>
    /// Model id of the autoencoder the denoiser was trained on; a loaded autoencoder of another id is refused, since even
    /// one of the same shape scales its latents differently. Null in pixel space, and in families trained before it was
    /// recorded (the first latent family), whose autoencoder is then checked by shape alone.
    /// </summary>
    [JsonPropertyName("autoencoder_id")]
    public string? AutoencoderId { get; init; }

    /// <summary>
    /// The level (rectified flow's t) the model was trained to read given frames at, with a level per frame (diffusion
    /// forcing: <c>train-video --context-share</c>): a continuation then keeps its given frames at this level at every step
    /// while the others are denoised. Null for a family trained with one level per clip, which continues a clip by
    /// replacement instead (the given frames noised to each step's level).
    /// </summary>
    [JsonPropertyName("context_noise_level")]
    public float? ContextNoiseLevel { get; init; }

    /// <summary>Side of the patch one token covers in the denoiser's own space (latent cells, or pixels).</summary>
    [JsonIgnore]
    public int LatentPatchSize => PatchSize / LatentDownsample;

    /// <summary>
    /// The config in a manifest. Manifests written before the objective was recorded were all trained for noise
    /// prediction, so a config without <c>objective</c> reads as <see cref="DenoisingObjectiveKind.Epsilon"/>.
    /// </summary>
    public static VideoModelConfig Read(Weights.ModelManifest manifest)
    {
        var config = manifest.ReadConfig<VideoModelConfig>();
        return manifest.Config.TryGetProperty("objective", out _) ? config : config with { Objective = DenoisingObjectiveKind.Epsilon };
    }

    /// <summary>Throws when the numbers cannot build a model.</summary>
    public void Validate()
    {
        if (Width <= 0 || Width % Heads != 0 || Blocks <= 0 || PatchSize <= 0 || MaxSide % PatchSize != 0
            || MaxFrames <= 0 || TextVocabulary < 2 || TextTokens <= 0 || IdentityDim <= 0 || IdentityTokens <= 0
            || MaxCharacters <= 0 || TrainTimesteps < 2 || Channels <= 0 || LatentDownsample <= 0 || PatchSize % LatentDownsample != 0
            || !Enum.IsDefined(Objective)
            || (ContextNoiseLevel is { } context && (Objective != DenoisingObjectiveKind.RectifiedFlow || !(context > 0 && context < 1))))
        {
            throw new InvalidOperationException($"Video model config is not usable: {this}.");
        }
    }
}
