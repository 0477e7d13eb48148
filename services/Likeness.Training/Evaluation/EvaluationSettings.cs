namespace Likeness.Training.Evaluation;

/// <summary>What the evaluation generates and how; the same settings and models give the same table.</summary>
public sealed record EvaluationSettings
{
    public int CastSeed { get; init; } = 7;

    /// <summary>Evaluate held-out characters from this cast id up (held-out ids are multiples of ten); the gallery stays all of them.</summary>
    public int FirstId { get; init; }

    /// <summary>Side of the clean reference photos the generator is given, in pixels. Default 128.</summary>
    public int ReferenceSide { get; init; } = ReferencePhotos.Side;

    /// <summary>The reference-size group: the same clean photo rendered at each of these sides, in pixels.</summary>
    public IReadOnlyList<int> ReferenceSides { get; init; } = [64, 128, 512, 2048];

    /// <summary>The held-out tenth of ids 0..CastSize-1 forms the identification gallery.</summary>
    public int CastSize { get; init; } = 2000;

    /// <summary>Held-out characters a clip is generated for, per condition.</summary>
    public int Characters { get; init; } = 20;

    public int Steps { get; init; } = 20;

    /// <summary>Frames per generated clip. Default 8.</summary>
    public int Frames { get; init; } = 8;

    /// <summary>Only the baseline rows (renders, strength 0, the default, the impostor): the quick check an ablation needs.</summary>
    public bool BaselinesOnly { get; init; }

    public float GuidanceScale { get; init; } = 3f;

    /// <summary>The services' default identity_strength.</summary>
    public float DefaultStrength { get; init; } = 0.8f;

    public IReadOnlyList<float> Strengths { get; init; } = [0f, 0.25f, 0.5f, 0.7f, 0.8f, 0.85f, 1f];

    public IReadOnlyList<int> ReferenceCounts { get; init; } = [1, 3, 5];

    /// <summary>Clean photos whose mean evaluator embedding is a character's reference in every measurement.</summary>
    public int GalleryPhotos { get; init; } = 5;

    /// <summary>Characters drawn as contact sheets.</summary>
    public int ContactSheets { get; init; } = 4;
}
