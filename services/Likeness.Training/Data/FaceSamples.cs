using Likeness.Identity.Images;
using Likeness.Training.Cast;

namespace Likeness.Training.Data;

/// <summary>
/// Face crops of cast members in random clip poses, cut the way the services cut them: a square 1.25× the face box,
/// resampled to the backbone's input, RGB in -1..1, channel-major.
/// </summary>
public sealed class FaceSamples(ProceduralCast cast, int inputSize, int renderSize = 128)
{
    /// <summary>One crop of character <paramref name="id"/> in a pose drawn from <paramref name="random"/>.</summary>
    public float[] Sample(int id, Random random)
    {
        var clip = ClipDirector.Direct(random.Next(), frames: 8);
        var frame = CastRenderer.Render(cast.Character(id), clip.Background, clip.Poses[random.Next(clip.Poses.Count)], renderSize);
        return Crop(frame.Rgb, renderSize, frame.FaceBox, inputSize);
    }

    /// <summary>Interleaved RGB8 → [3, size, size] in -1..1, then the services' face crop.</summary>
    public static float[] Crop(byte[] rgb, int frameSize, NormalizedBox box, int size)
    {
        var plane = frameSize * frameSize;
        var planes = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                planes[(c * plane) + i] = (rgb[(i * 3) + c] / 127.5f) - 1;
            }
        }

        return FaceCrop.Extract(planes, frameSize, frameSize, box, size);
    }
}
