using Likeness.Generation.Requests;

namespace Likeness.Generation.Identities;

/// <summary>A character with its identity read from the store: what the job needs to condition and to score.</summary>
/// <param name="Tokens">[tokens, D] identity tokens.</param>
/// <param name="FaceEmbedding">f(ref), 512 values.</param>
public sealed record LoadedCharacter(CharacterRequest Request, float[] Tokens, float[] FaceEmbedding);
