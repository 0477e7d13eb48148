using Likeness.Core.Errors;
using Likeness.Generation.Hosting;
using Likeness.Generation.Requests;
using Likeness.Identity.Store;

namespace Likeness.Generation.Identities;

/// <summary>Reads each character's tokens from the store and checks they fit the models this generator serves.</summary>
public sealed class IdentityLoader(StoredIdentityReader reader, VideoModelHost videoModel)
{
    /// <exception cref="LikenessException">NOT_FOUND (no such identity), DATA_LOSS (corrupt entry), FAILED_PRECONDITION (another model's tokens).</exception>
    public async Task<IReadOnlyList<LoadedCharacter>> LoadAsync(IReadOnlyList<CharacterRequest> characters, CancellationToken cancellationToken)
    {
        var config = videoModel.Require().Config;
        var loaded = new List<LoadedCharacter>(characters.Count);
        for (var i = 0; i < characters.Count; i++)
        {
            var id = characters[i].IdentityId;
            var tokens = (await reader.ReadAsync(id, cancellationToken)).Tokens;
            if (tokens.TokenCount != config.IdentityTokens || tokens.TokenDim != config.IdentityDim)
            {
                throw new LikenessException(LikenessErrorKind.FailedPrecondition,
                    $"Identity {id} has {tokens.TokenCount}×{tokens.TokenDim} tokens; the video model takes {config.IdentityTokens}×{config.IdentityDim}.", $"characters[{i}].identity_id");
            }

            loaded.Add(new LoadedCharacter(characters[i], tokens.Values, tokens.FaceEmbedding));
        }

        return loaded;
    }
}
