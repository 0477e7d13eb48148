using System.Security.Cryptography;
using System.Text;
using Likeness.Core.Errors;
using Likeness.Identity.Tokens;

namespace Likeness.Identity.Encoder;

/// <summary>Content addresses of identities: the model, the combine mode and the references' hashes, order-free.</summary>
public static class IdentityIds
{
    /// <summary>Characters in an identity id (lowercase hex).</summary>
    public const int Length = 32;

    public static string Compute(string modelId, CombineMode combine, IEnumerable<byte[]> contentHashes)
    {
        var sorted = contentHashes.Select(Convert.ToHexStringLower).Order(StringComparer.Ordinal);
        var text = $"likeness-identity-id/v1\n{modelId}\n{combine}\n{string.Join('\n', sorted)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..Length];
    }

    /// <exception cref="LikenessException">INVALID_ARGUMENT naming <paramref name="field"/>.</exception>
    public static void Validate(string? identityId, string field = "identity_id")
    {
        if (string.IsNullOrEmpty(identityId))
        {
            throw LikenessException.InvalidArgument(field, "is required.");
        }

        if (identityId.Length != Length || !identityId.All(char.IsAsciiHexDigitLower))
        {
            throw LikenessException.InvalidArgument(field, $"must be {Length} lowercase hex characters.");
        }
    }
}
