using Likeness.Model.Faces;

namespace Likeness.Identity.Faces;

/// <summary>How far a head is turned, from BlazeFace's landmarks.</summary>
public static class FacePose
{
    /// <summary>|<see cref="Yaw"/>| above which a head counts as strongly turned: the nose sits a third of the eye distance off the eyes' midpoint, about 30–35° of yaw.</summary>
    public const float TurnedYaw = 0.33f;

    /// <summary>
    /// The nose tip's offset from the midpoint of the eyes along the eye line, in eye distances: 0 for a frontal face,
    /// positive when the nose points towards the image's right. Independent of roll and scale.
    /// </summary>
    public static float Yaw(FaceLandmarks landmarks)
    {
        float ax = landmarks.LeftEye.X - landmarks.RightEye.X, ay = landmarks.LeftEye.Y - landmarks.RightEye.Y;
        var eyeDistanceSquared = (ax * ax) + (ay * ay);
        if (eyeDistanceSquared < 1e-6f)
        {
            return 0;
        }

        float mx = (landmarks.LeftEye.X + landmarks.RightEye.X) / 2, my = (landmarks.LeftEye.Y + landmarks.RightEye.Y) / 2;
        return (((landmarks.NoseTip.X - mx) * ax) + ((landmarks.NoseTip.Y - my) * ay)) / eyeDistanceSquared;
    }
}
