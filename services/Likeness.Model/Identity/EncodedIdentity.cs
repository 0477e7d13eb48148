namespace Likeness.Model.Identity;

/// <summary>What the identity model makes of a character's references, as managed arrays.</summary>
/// <param name="Tokens">[tokens, D] identity tokens, row-major.</param>
/// <param name="FaceEmbedding">The combined 512-d face embedding f(ref) the consistency report compares frames with.</param>
public sealed record EncodedIdentity(float[] Tokens, float[] FaceEmbedding);
