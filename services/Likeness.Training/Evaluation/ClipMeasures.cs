using Likeness.Media;

namespace Likeness.Training.Evaluation;

/// <summary>What the evaluation measures on a clip's pixels and embeddings, apart from identity.</summary>
public static class ClipMeasures
{
    /// <summary><paramref name="v"/> scaled to unit length (a zero vector stays zero).</summary>
    public static float[] Normalise(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / Math.Max(norm, 1e-12f)).ToArray();
    }

    /// <summary>
    /// Mean absolute difference between horizontally and vertically adjacent pixel values over every frame and channel: how
    /// much fine structure (edges, or noise) a clip carries. Generated frames are compared with the renderer's frames of the
    /// same script, so a ratio near 1 means as sharp as the renders, far above 1 means noise.
    /// </summary>
    public static double EdgeEnergy(ClipFrames clip)
    {
        double sum = 0;
        long count = 0;
        for (var f = 0; f < clip.Frames; f++)
        {
            var frame = clip.Frame(f);
            for (var c = 0; c < 3; c++)
            {
                var plane = frame.Slice(c * clip.Width * clip.Height, clip.Width * clip.Height);
                for (var y = 0; y < clip.Height; y++)
                {
                    for (var x = 0; x < clip.Width; x++)
                    {
                        var v = plane[(y * clip.Width) + x];
                        if (x + 1 < clip.Width)
                        {
                            sum += Math.Abs(plane[(y * clip.Width) + x + 1] - v);
                            count++;
                        }

                        if (y + 1 < clip.Height)
                        {
                            sum += Math.Abs(plane[((y + 1) * clip.Width) + x] - v);
                            count++;
                        }
                    }
                }
            }
        }

        return sum / Math.Max(1, count);
    }

    /// <summary>
    /// Mean absolute change of a pixel value between adjacent frames, over every pixel and channel (values in -1..1): how
    /// much the clip moves. 0 for one frame or a frozen clip.
    /// </summary>
    public static double MotionAmplitude(ClipFrames clip)
    {
        double sum = 0;
        long count = 0;
        for (var f = 1; f < clip.Frames; f++)
        {
            var previous = clip.Frame(f - 1);
            var current = clip.Frame(f);
            for (var i = 0; i < current.Length; i++)
            {
                sum += Math.Abs(current[i] - previous[i]);
            }

            count += current.Length;
        }

        return sum / Math.Max(1, count);
    }
}
