using Likeness.Model.Faces;
using SkiaSharp;

namespace Likeness.Identity.Faces;

/// <summary>The photo family's face finder: BlazeFace, with six landmarks per face.</summary>
public sealed class PhotoFaceFinder(PhotoFaceModels models) : IFaceFinder
{
    /// <summary>The name photo-family manifests give in <c>face_finder</c>.</summary>
    public const string FinderName = "blazeface";

    /// <inheritdoc/>
    public string Name => FinderName;

    public string NoFaceAdvice => "the centre of the image is used. If the face is small in the frame, crop closer to it.";

    /// <summary>
    /// dlib's chip is 150 px with 25% padding on each side, so the recogniser reads a face at about 100 px
    /// (dlib's <c>get_face_chip_details</c>); a smaller face is enlarged and loses the detail it was trained on.
    /// </summary>
    public int MinFaceSide => 100;

    public IReadOnlyList<DetectedFace> Find(SKBitmap working) => models.Detect(working);
}
