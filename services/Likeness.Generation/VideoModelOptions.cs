namespace Likeness.Generation;

/// <summary>Which video model the generator serves. Bound from the <c>VideoModel</c> section.</summary>
public sealed class VideoModelOptions
{
    /// <summary>
    /// Path of a model manifest (JSON beside a .safetensors), relative to the application's folder unless rooted.
    /// Default <c>models/video.manifest.json</c>, the trained model shipped with Likeness. Empty: a seeded, untrained
    /// initialisation (for tests and benchmarks of shapes, not pictures).
    /// </summary>
    public string? ManifestPath { get; set; } = "models/video.manifest.json";

    /// <summary>Seed of the untrained initialisation; part of its model id. Default 4321.</summary>
    public long Seed { get; set; } = 4321;

    /// <summary>Transformer width of the untrained initialisation. Default 256.</summary>
    public int Width { get; set; } = 256;

    /// <summary>Blocks of the untrained initialisation. Default 4.</summary>
    public int Blocks { get; set; } = 4;

    /// <summary>"auto" (CUDA when available), "cpu" or "cuda[:n]". Default "auto".</summary>
    public string Device { get; set; } = "auto";
}
