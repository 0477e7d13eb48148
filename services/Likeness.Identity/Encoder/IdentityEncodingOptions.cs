using Likeness.Identity.Tokens;

namespace Likeness.Identity.Encoder;

/// <summary>How encoding work is admitted and stored. Bound from the <c>IdentityEncoding</c> section.</summary>
public sealed class IdentityEncodingOptions
{
    /// <summary>Model runs at once; each uses every core through LibTorch's own threads. Default 1.</summary>
    public int MaxConcurrentEncodes { get; set; } = 1;

    /// <summary>Encodes that may wait for the model; past this, RESOURCE_EXHAUSTED. Default 32.</summary>
    public int MaxQueuedEncodes { get; set; } = 32;

    /// <summary>Element type tokens are stored in. Default Float16.</summary>
    public TokenDType StorageDType { get; set; } = TokenDType.Float16;
}
