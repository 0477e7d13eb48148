using Likeness.Core.Errors;
using Likeness.Identity.Hosting;
using Likeness.Identity.Faces;

namespace Likeness.Identity.Families;

/// <summary>The identity-model families the encoder serves, each with the face finder it declares.</summary>
public sealed class IdentityFamilies(IdentityModelHost identityModel, PhotoFaceHost photoFaces)
{
    private readonly CastSubjectFinder castFinder = new();

    /// <summary>The family, once its models have loaded.</summary>
    /// <exception cref="LikenessException">UNAVAILABLE while a model loads.</exception>
    public IIdentityFamily Require(IdentityFamilyKind kind) => kind switch
    {
        IdentityFamilyKind.Generation => new GenerationIdentityFamily(identityModel.Require(), Finder(identityModel.Require().Config.FaceFinder)),
        IdentityFamilyKind.Photo => new PhotoIdentityFamily(photoFaces.Require()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The model ids of the families loaded so far, the generator's first (the photo family's joins once it has loaded).</summary>
    /// <exception cref="LikenessException">UNAVAILABLE while the generator's identity model loads.</exception>
    public IReadOnlyList<string> ServedModelIds() =>
        photoFaces.Model is { } photo ? [identityModel.Require().ModelId, photo.ModelId] : [identityModel.Require().ModelId];

    /// <summary>The photo pipeline itself, for scoring clips.</summary>
    public PhotoFaceModels RequirePhotoFaces() => photoFaces.Require();

    private IFaceFinder Finder(string name) => name switch
    {
        CastSubjectFinder.FinderName => castFinder,
        PhotoFaceFinder.FinderName => new PhotoFaceFinder(photoFaces.Require()),
        _ => throw new InvalidOperationException($"The identity model declares face finder '{name}'; known finders are {CastSubjectFinder.FinderName} and {PhotoFaceFinder.FinderName}."),
    };
}
