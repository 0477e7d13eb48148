namespace Likeness.Identity.Tokens;

/// <summary>One character's identity: [TokenCount, TokenDim] tokens and where they came from.</summary>
public sealed record IdentityTokens
{
    public required string ModelId { get; init; }

    /// <summary>True when the producing model ran from an untrained, seeded initialisation.</summary>
    public required bool Untrained { get; init; }

    public required int TokenCount { get; init; }

    public required int TokenDim { get; init; }

    /// <summary>TokenCount × TokenDim values, row-major.</summary>
    public required float[] Values { get; init; }

    /// <summary>The references' combined face embedding f(ref) (512 values), what generated frames are scored against.</summary>
    public required float[] FaceEmbedding { get; init; }

    public required int ReferenceCount { get; init; }

    public required CombineMode CombineMode { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The references as they were encoded, in request order: the SHA-256 of each one's bytes (lowercase hex) and its
    /// quality report, so that a cache hit answers without decoding or measuring them again. Empty for entries written
    /// before format version 2.
    /// </summary>
    public IReadOnlyList<StoredReference> References { get; init; } = [];
}

/// <summary>One reference of a stored identity: the SHA-256 of its bytes (lowercase hex) and its quality report.</summary>
public sealed record StoredReference(string ContentHash, Images.ReferenceQuality Quality);
