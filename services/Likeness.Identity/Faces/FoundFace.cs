using Likeness.Identity.Regions;
using Likeness.Model.Faces;

namespace Likeness.Identity.Faces;

/// <summary>A face in a reference, in coordinates scaled to 0..1 of the upright image.</summary>
/// <param name="Landmarks">BlazeFace's six keypoints in <see cref="FaceLandmarks"/> order (right eye, left eye, nose tip, mouth, right ear, left ear); empty from a finder that gives none.</param>
/// <param name="Score">The finder's confidence, 0..1.</param>
public sealed record FoundFace(NormalizedBox Box, IReadOnlyList<NormalizedPoint> Landmarks, float Score)
{
    /// <summary>A finder's face in the pixels of a <paramref name="width"/>×<paramref name="height"/> image, scaled to 0..1.</summary>
    public static FoundFace From(DetectedFace face, int width, int height)
    {
        NormalizedPoint Point(PixelPoint p) => new(p.X / width, p.Y / height);
        var box = face.Box;
        var landmarks = face.Landmarks is { } l
            ? new[] { l.RightEye, l.LeftEye, l.NoseTip, l.Mouth, l.RightEar, l.LeftEar }.Select(Point).ToArray()
            : [];
        return new FoundFace(new NormalizedBox(box.X / width, box.Y / height, box.Width / width, box.Height / height), landmarks, face.Score);
    }

    /// <summary>This face in the pixels of a <paramref name="width"/>×<paramref name="height"/> image.</summary>
    public DetectedFace InPixels(int width, int height)
    {
        PixelPoint Point(NormalizedPoint p) => new(p.X * width, p.Y * height);
        var landmarks = Landmarks.Count == 6
            ? new FaceLandmarks(Point(Landmarks[0]), Point(Landmarks[1]), Point(Landmarks[2]), Point(Landmarks[3]), Point(Landmarks[4]), Point(Landmarks[5]))
            : null;
        return new DetectedFace(new PixelBox(Box.X * width, Box.Y * height, Box.Width * width, Box.Height * height), landmarks, Score);
    }
}
