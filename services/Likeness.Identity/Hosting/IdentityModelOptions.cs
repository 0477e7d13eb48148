namespace Likeness.Identity.Hosting;

/// <summary>Which identity model the encoder serves. Bound from the <c>IdentityModel</c> section.</summary>
public sealed class IdentityModelOptions
{
    /// <summary>
    /// Path of a model manifest (JSON beside a .safetensors), relative to the application's folder unless rooted.
    /// Default <c>models/identity.manifest.json</c>, the trained model shipped with Likeness. Empty: a seeded, untrained
    /// initialisation (for tests and benchmarks of shapes, not pictures).
    /// </summary>
    public string? ManifestPath { get; set; } = "models/identity.manifest.json";

    /// <summary>Seed of the untrained initialisation; part of its model id. Default 1234.</summary>
    public long Seed { get; set; } = 1234;

    /// <summary>Width D of identity tokens for the untrained initialisation. Default 768.</summary>
    public int TokenDim { get; set; } = 768;

    /// <summary>"auto" (CUDA when available), "cpu" or "cuda[:n]". Default "auto".</summary>
    public string Device { get; set; } = "auto";
}
