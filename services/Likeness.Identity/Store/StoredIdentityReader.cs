using Likeness.Core.Errors;
using Likeness.Identity.Faces;
using Likeness.Identity.Hosting;
using Likeness.Identity.Tokens;

namespace Likeness.Identity.Store;

/// <summary>
/// The one way a service reads a stored identity: the encoder's GetIdentity and the generator's loader give
/// the same status and wording for a missing, a corrupt and another model's identity.
/// </summary>
public sealed class StoredIdentityReader(ITokenStore store, IdentityModelHost modelHost)
{
    /// <summary>Reads an identity of the identity model this service loaded (the generator's family).</summary>
    /// <exception cref="LikenessException">NOT_FOUND, DATA_LOSS (corrupt entry) or FAILED_PRECONDITION (another model's tokens).</exception>
    public Task<StoredIdentity> ReadAsync(string identityId, CancellationToken cancellationToken) =>
        ReadAsync(identityId, [modelHost.Require().ModelId], cancellationToken);

    /// <summary>
    /// Reads an identity encoded by one of <paramref name="acceptedModelIds"/>. The refusal names the first, the
    /// generator's identity model, so both services word it alike.
    /// </summary>
    /// <exception cref="LikenessException">NOT_FOUND, DATA_LOSS (corrupt entry) or FAILED_PRECONDITION (another model's tokens).</exception>
    public async Task<StoredIdentity> ReadAsync(string identityId, IReadOnlyList<string> acceptedModelIds, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(identityId, cancellationToken) ?? throw NotFound(identityId);
        StoredIdentity identity;
        try
        {
            var (tokens, dtype) = TokenBlob.Decode(stored.Data);
            identity = new StoredIdentity(identityId, tokens, dtype, stored.ExpiresAt);
        }
        catch (InvalidDataException e)
        {
            throw new LikenessException(LikenessErrorKind.DataLoss,
                $"The stored tokens of identity {identityId} are unusable: {e.Message}. Encode the references again.");
        }

        if (!acceptedModelIds.Contains(identity.Tokens.ModelId) && identity.Tokens.ModelId.StartsWith(PhotoFaceModels.ModelIdPrefix, StringComparison.Ordinal))
        {
            throw new LikenessException(LikenessErrorKind.FailedPrecondition,
                $"Identity {identityId} is a photo identity (model {identity.Tokens.ModelId}): photo identities score clips (ScoreConsistency, `likeness score`) and condition no generation. " +
                "To generate a character, encode pictures of it with the generation family (EncodeIdentity with the family unspecified, `likeness encode`).");
        }

        if (!acceptedModelIds.Contains(identity.Tokens.ModelId))
        {
            throw new LikenessException(LikenessErrorKind.FailedPrecondition,
                $"Identity {identityId} was encoded by model {identity.Tokens.ModelId}; this service uses model {acceptedModelIds[0]}. Encode the references again.");
        }

        return identity;
    }

    /// <summary>NOT_FOUND for an identity the store does not hold.</summary>
    public static LikenessException NotFound(string identityId) =>
        new(LikenessErrorKind.NotFound, $"Identity {identityId} does not exist or has expired; encode its references first.");
}
