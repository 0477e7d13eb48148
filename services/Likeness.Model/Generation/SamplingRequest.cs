namespace Likeness.Model.Generation;

/// <summary>One character as the denoiser sees it.</summary>
/// <param name="Tokens">[identity tokens, identity dim] values, row-major.</param>
/// <param name="Strength">identity_strength, 0..1.</param>
/// <param name="Region">[frames, rows, columns] patch coverage in 0..1 (1 = the character may appear there).</param>
public sealed record SamplingCharacter(float[] Tokens, float Strength, float[] Region);

/// <summary>Everything one denoising run needs, as managed values.</summary>
public sealed record SamplingRequest
{
    public required int Frames { get; init; }

    public required int Height { get; init; }

    public required int Width { get; init; }

    public required int Steps { get; init; }

    /// <summary>Classifier-free guidance scale; 1 runs the conditional branch only.</summary>
    public required float GuidanceScale { get; init; }

    public required ulong Seed { get; init; }

    public required string Prompt { get; init; }

    public required IReadOnlyList<SamplingCharacter> Characters { get; init; }

    /// <summary>
    /// Frames the clip starts with, given rather than made: [context frames, 3, H, W] pixels in -1..1, fewer than
    /// <see cref="Frames"/>. The sample keeps them (as the frame autoencoder reproduces them) and continues from them.
    /// Null or empty: every frame is made.
    /// </summary>
    public float[]? Context { get; init; }

    /// <summary>Steps after which the caller wants the x0 estimate (1-based).</summary>
    public Func<int, bool> PreviewAt { get; init; } = _ => false;
}

/// <summary>What the sampler reports after each step.</summary>
/// <param name="Step">1-based step just finished.</param>
/// <param name="TotalSteps">Steps in the run.</param>
/// <param name="Elapsed">Wall time of this step.</param>
/// <param name="CleanEstimate">[frames, 3, H, W] in -1..1 when a preview was asked for at this step, else null.</param>
public sealed record SamplingStep(int Step, int TotalSteps, TimeSpan Elapsed, float[]? CleanEstimate);
