using Likeness.Identity.Faces;
using Likeness.Identity.Images;
using Likeness.Model.Identity;

namespace Likeness.Identity.Families;

/// <summary>Which identity-model family an identity belongs to.</summary>
public enum IdentityFamilyKind
{
    /// <summary>The identity model the generator is conditioned on (the procedural cast's family as shipped).</summary>
    Generation,

    /// <summary>Photos of people: BlazeFace finds and aligns the face, dlib's ResNet describes it (128-d).</summary>
    Photo,
}

/// <summary>
/// One identity-model family the encoder serves: the face finder its model was trained with, and the model that
/// turns checked references into identity tokens.
/// </summary>
public interface IIdentityFamily
{
    /// <summary>Which family this is.</summary>
    IdentityFamilyKind Kind { get; }

    /// <summary>Tags every identity the family encodes; part of the identity's content address.</summary>
    string ModelId { get; }

    /// <summary>True for a seeded, untrained initialisation.</summary>
    bool Untrained { get; }

    /// <summary>Tokens per identity (T).</summary>
    int TokenCount { get; }

    /// <summary>Width of each token (D).</summary>
    int TokenDim { get; }

    /// <summary>The finder the family's references are read with.</summary>
    IFaceFinder Finder { get; }

    /// <summary>Runs the model on checked references (slow: call it off the request thread).</summary>
    /// <param name="quality">One report per reference, from <see cref="Finder"/>; the first face of each is the one used.</param>
    /// <param name="weights">One weight per reference, or empty for a plain mean.</param>
    /// <returns>[T, D] tokens, row-major, and the combined face embedding stored with them.</returns>
    /// <exception cref="Core.Errors.LikenessException">INVALID_ARGUMENT naming a reference the family cannot use.</exception>
    EncodedIdentity Encode(IReadOnlyList<CheckedReference> references, IReadOnlyList<ReferenceQuality> quality, float[] weights);
}
