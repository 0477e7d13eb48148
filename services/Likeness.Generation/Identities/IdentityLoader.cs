using Likeness.Core.Errors;
using Likeness.Generation.Hosting;
using Likeness.Generation.Requests;
using Likeness.Identity.Encoder;
using Likeness.Identity.Store;
using Likeness.Identity.Tokens;

namespace Likeness.Generation.Identities;

/// <summary>Reads each character's tokens from the store and checks they fit the models this generator serves.</summary>
public sealed class IdentityLoader(ITokenStore store, IdentityModelHost identityModel, VideoModelHost videoModel)
{
    /// <exception cref="LikenessException">NOT_FOUND (no such identity), DATA_LOSS (corrupt entry), FAILED_PRECONDITION (another model's tokens).</exception>
    public async Task<IReadOnlyList<LoadedCharacter>> LoadAsync(IReadOnlyList<CharacterRequest> characters, CancellationToken cancellationToken)
    {
        var expectedModel = identityModel.Require().ModelId;
        var config = videoModel.Require().Config;
        var loaded = new List<LoadedCharacter>(characters.Count);
        for (var i = 0; i < characters.Count; i++)
        {
            var id = characters[i].IdentityId;
            var field = $"characters[{i}].identity_id";
            var stored = await store.GetAsync(id, cancellationToken)
                ?? throw new LikenessException(LikenessErrorKind.NotFound, $"identity {id} does not exist or has expired; encode its references first.", field);
            IdentityTokens tokens;
            try
            {
                tokens = TokenBlob.Decode(stored.Data).Tokens;
            }
            catch (InvalidDataException e)
            {
                throw new LikenessException(LikenessErrorKind.DataLoss, $"the stored tokens of identity {id} are unusable: {e.Message}; encode again.", field);
            }

            if (tokens.ModelId != expectedModel)
            {
                throw new LikenessException(LikenessErrorKind.FailedPrecondition,
                    $"identity {id} was encoded by {tokens.ModelId}; this generator accepts tokens of {expectedModel}. Encode the references again.", field);
            }

            if (tokens.TokenCount != config.IdentityTokens || tokens.TokenDim != config.IdentityDim)
            {
                throw new LikenessException(LikenessErrorKind.FailedPrecondition,
                    $"identity {id} has {tokens.TokenCount}×{tokens.TokenDim} tokens; the video model takes {config.IdentityTokens}×{config.IdentityDim}.", field);
            }

            loaded.Add(new LoadedCharacter(characters[i], tokens.Values, tokens.FaceEmbedding));
        }

        return loaded;
    }
}
