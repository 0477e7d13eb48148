using Likeness.Core.Errors;
using Likeness.Identity.Faces;
using Likeness.Identity.Images;
using Likeness.Model.Identity;

namespace Likeness.Identity.Families;

/// <summary>
/// The photo family: an identity is the mean dlib descriptor of the references' largest faces, stored as one token of
/// 128. It conditions no generator; <c>ScoreConsistency</c> measures clips against it.
/// </summary>
public sealed class PhotoIdentityFamily(PhotoFaceModels models) : IIdentityFamily
{
    public IdentityFamilyKind Kind => IdentityFamilyKind.Photo;

    public string ModelId => models.ModelId;

    public bool Untrained => false;

    public int TokenCount => 1;

    public int TokenDim => PhotoFaceModels.DescriptorLength;

    public IFaceFinder Finder { get; } = new PhotoFaceFinder(models);

    /// <exception cref="LikenessException">INVALID_ARGUMENT naming a reference in which no face was found.</exception>
    public EncodedIdentity Encode(IReadOnlyList<CheckedReference> references, IReadOnlyList<ReferenceQuality> quality, float[] weights)
    {
        var combined = new float[PhotoFaceModels.DescriptorLength];
        var total = 0f;
        for (var i = 0; i < references.Count; i++)
        {
            var face = quality[i].Faces.Count > 0 ? quality[i].Faces[0] : throw LikenessException.InvalidArgument($"references[{i}].data",
                    $"shows no face that {Finder.Name} can find; the photo family needs a visible face, at least {Finder.MinFaceSide} px across.");
            var working = references[i].Working;
            var detected = face.InPixels(working.Width, working.Height);
            var descriptor = models.Describe(references[i].Detail, (working.Width, working.Height), [detected])[0];
            var weight = weights.Length == 0 ? 1f : weights[i];
            for (var k = 0; k < descriptor.Length; k++)
            {
                combined[k] += weight * descriptor[k];
            }

            total += weight;
        }

        for (var k = 0; k < combined.Length; k++)
        {
            combined[k] /= total;
        }

        return new EncodedIdentity(combined, combined);
    }
}
