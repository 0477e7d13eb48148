using Likeness.Identity.Faces;
using Likeness.Identity.Images;
using Likeness.Model.Identity;

namespace Likeness.Identity.Families;

/// <summary>The generator's identity family: the loaded identity model, with the finder its manifest declares.</summary>
public sealed class GenerationIdentityFamily(LoadedIdentityModel model, IFaceFinder finder) : IIdentityFamily
{
    public IdentityFamilyKind Kind => IdentityFamilyKind.Generation;

    public string ModelId => model.ModelId;

    public bool Untrained => model.Untrained;

    public int TokenCount => model.Config.IdentityTokens;

    public int TokenDim => model.Config.TokenDim;

    public IFaceFinder Finder => finder;

    /// <summary>Square crops centred on each reference's face (its centre when none was found), read by the identity model.</summary>
    public EncodedIdentity Encode(IReadOnlyList<CheckedReference> references, IReadOnlyList<ReferenceQuality> quality, float[] weights)
    {
        var crops = new float[references.Count * model.CropLength];
        for (var i = 0; i < references.Count; i++)
        {
            FaceCrop.Extract(references[i], quality[i].Subject, model.Config.InputSize).CopyTo(crops, i * model.CropLength);
        }

        return model.Encode(crops, references.Count, weights);
    }
}
