using Likeness.Model.Faces;
using SkiaSharp;

namespace Likeness.Identity.Faces;

/// <summary>
/// The photo face pipeline: BlazeFace finds faces and their landmarks, each face is aligned to dlib's 150 px chip, and
/// dlib's ResNet describes it with 128 numbers. Thread-safe: the models are read-only after loading.
/// </summary>
public sealed class PhotoFaceModels(LoadedFaceDetector detector, LoadedFaceRecogniser recogniser) : IDisposable
{
    /// <summary>Descriptor length.</summary>
    public const int DescriptorLength = 128;

    /// <summary>How every photo-family model id begins, so a service without the photo models can still name the family.</summary>
    public const string ModelIdPrefix = "likeness-photo-";

    /// <summary>Tags identities of the photo family: both models' ids.</summary>
    public string ModelId { get; } = $"{ModelIdPrefix}v1+{recogniser.ModelId}+{detector.ModelId}";

    /// <summary>BlazeFace's model id.</summary>
    public string DetectorId => detector.ModelId;

    /// <summary>dlib's ResNet's model id.</summary>
    public string RecogniserId => recogniser.ModelId;

    /// <summary>
    /// Faces in an RGBA8888 bitmap, in its pixels, largest box first (the detector's order), leaving out any whose
    /// landmarks cannot be aligned (eyes less than a pixel apart, or a coordinate that is not finite).
    /// </summary>
    public IReadOnlyList<DetectedFace> Detect(SKBitmap bitmap) =>
        detector.Detect(bitmap.GetPixelSpan(), bitmap.Width, bitmap.Height).Where(f => f.Landmarks is { } l && Alignable(l)).ToList();

    /// <summary>Descriptors of faces found in <paramref name="found"/>'s pixels, each cut from <paramref name="detail"/> (the same picture at any scale).</summary>
    /// <param name="found">Width and height of the image the landmarks are in.</param>
    /// <returns>One 128-d descriptor per face, in order.</returns>
    /// <exception cref="ArgumentException">A face without landmarks.</exception>
    public float[][] Describe(SKBitmap detail, (int Width, int Height) found, IReadOnlyList<DetectedFace> faces)
    {
        if (faces.Count == 0)
        {
            return [];
        }

        float sx = detail.Width / (float)found.Width, sy = detail.Height / (float)found.Height;
        var chipLength = 3 * FaceAlignment.ChipSize * FaceAlignment.ChipSize;
        var chips = new float[faces.Count * chipLength];
        for (var i = 0; i < faces.Count; i++)
        {
            var landmarks = faces[i].Landmarks ?? throw new ArgumentException("Every face needs landmarks to be aligned.", nameof(faces));
            FaceAlignment.Chip(detail.GetPixelSpan(), detail.Width, detail.Height, Scale(landmarks, sx, sy)).CopyTo(chips, i * chipLength);
        }

        var flat = recogniser.Describe(chips, faces.Count);
        return Enumerable.Range(0, faces.Count).Select(i => flat.AsSpan(i * DescriptorLength, DescriptorLength).ToArray()).ToArray();
    }

    private static bool Alignable(FaceLandmarks l)
    {
        PixelPoint[] points = [l.RightEye, l.LeftEye, l.NoseTip, l.Mouth, l.RightEar, l.LeftEar];
        float dx = l.LeftEye.X - l.RightEye.X, dy = l.LeftEye.Y - l.RightEye.Y;
        return points.All(p => float.IsFinite(p.X) && float.IsFinite(p.Y)) && ((dx * dx) + (dy * dy)) >= 1;
    }

    private static FaceLandmarks Scale(FaceLandmarks l, float sx, float sy)
    {
        PixelPoint S(PixelPoint p) => new(p.X * sx, p.Y * sy);
        return new FaceLandmarks(S(l.RightEye), S(l.LeftEye), S(l.NoseTip), S(l.Mouth), S(l.RightEar), S(l.LeftEar));
    }

    public void Dispose()
    {
        detector.Dispose();
        recogniser.Dispose();
    }
}
