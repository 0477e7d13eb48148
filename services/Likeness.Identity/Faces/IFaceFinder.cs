using Likeness.Model.Faces;
using SkiaSharp;

namespace Likeness.Identity.Faces;

/// <summary>
/// Finds faces in a reference's upright working copy. Each identity-model family names the finder its model was
/// trained with (<see cref="Name"/>): the cast family's drawn heads need <see cref="CastSubjectFinder"/>, photos of
/// people need <see cref="PhotoFaceFinder"/>.
/// </summary>
public interface IFaceFinder
{
    /// <summary>The name a family's manifest gives: <c>cast-subject</c> or <c>blazeface</c>.</summary>
    string Name { get; }

    /// <summary>What the no-face warning tells the user to do, after saying that no face was found.</summary>
    string NoFaceAdvice { get; }

    /// <summary>Faces narrower than this many pixels of the original image get the face-too-small warning.</summary>
    int MinFaceSide { get; }

    /// <summary>Faces in <paramref name="working"/> (RGBA8888, opaque, upright), in its pixels, in any order (the quality analysis puts the largest first).</summary>
    IReadOnlyList<DetectedFace> Find(SKBitmap working);
}
