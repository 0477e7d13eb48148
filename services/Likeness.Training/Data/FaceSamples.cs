using Likeness.Identity.Images;
using Likeness.Training.Cast;

namespace Likeness.Training.Data;

/// <summary>
/// Face crops of cast members in random clip poses, cut the way the services cut them: a square 1.25× the face box,
/// resampled to the backbone's input, RGB in -1..1, channel-major.
/// </summary>
public sealed class FaceSamples(ProceduralCast cast, int inputSize, int renderSize = 128)
{
    private const float Margin = 1.25f;

    /// <summary>One crop of character <paramref name="id"/> in a pose drawn from <paramref name="random"/>.</summary>
    public float[] Sample(int id, Random random)
    {
        var clip = ClipDirector.Direct(random.Next(), frames: 8);
        var frame = CastRenderer.Render(cast.Character(id), clip.Background, clip.Poses[random.Next(clip.Poses.Count)], renderSize);
        return Crop(frame.Rgb, renderSize, frame.FaceBox, inputSize);
    }

    /// <summary>A square around the box's centre, bilinearly resampled to [3, size, size] in -1..1.</summary>
    public static float[] Crop(byte[] rgb, int frameSize, NormalizedBox box, int size)
    {
        var side = Math.Min(frameSize, Math.Max(box.Width, box.Height) * frameSize * Margin);
        var left = Math.Clamp(((box.X + (box.Width / 2)) * frameSize) - (side / 2), 0, frameSize - side);
        var top = Math.Clamp(((box.Y + (box.Height / 2)) * frameSize) - (side / 2), 0, frameSize - side);
        var step = side / size;
        var crop = new float[3 * size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                float sx = Math.Clamp(left + ((x + 0.5f) * step) - 0.5f, 0, frameSize - 1), sy = Math.Clamp(top + ((y + 0.5f) * step) - 0.5f, 0, frameSize - 1);
                int x0 = (int)sx, y0 = (int)sy, x1 = Math.Min(x0 + 1, frameSize - 1), y1 = Math.Min(y0 + 1, frameSize - 1);
                float fx = sx - x0, fy = sy - y0;
                for (var c = 0; c < 3; c++)
                {
                    float Value(int px, int py) => rgb[(((py * frameSize) + px) * 3) + c];
                    var v = (Value(x0, y0) * (1 - fx) * (1 - fy)) + (Value(x1, y0) * fx * (1 - fy)) + (Value(x0, y1) * (1 - fx) * fy) + (Value(x1, y1) * fx * fy);
                    crop[(((c * size) + y) * size) + x] = (v / 127.5f) - 1;
                }
            }
        }

        return crop;
    }
}
