namespace Likeness.Model.Faces;

/// <summary>A point in image pixels: x to the right, y down, origin at the top-left corner of the top-left pixel.</summary>
public readonly record struct PixelPoint(float X, float Y);

/// <summary>An axis-aligned box in image pixels.</summary>
public readonly record struct PixelBox(float X, float Y, float Width, float Height)
{
    public float Area => Width * Height;

    public PixelPoint Centre => new(X + (Width / 2), Y + (Height / 2));
}

/// <summary>
/// BlazeFace's six keypoints in image pixels. "Right" and "left" are the subject's own, as in MediaPipe:
/// the right eye appears on the left of an unmirrored photo.
/// </summary>
public sealed record FaceLandmarks(
    PixelPoint RightEye,
    PixelPoint LeftEye,
    PixelPoint NoseTip,
    PixelPoint Mouth,
    PixelPoint RightEar,
    PixelPoint LeftEar);

/// <summary>One face a finder found: its box, its landmarks (null from a finder that gives none) and its confidence (0..1).</summary>
public sealed record DetectedFace(PixelBox Box, FaceLandmarks? Landmarks, float Score);
