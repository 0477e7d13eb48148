using Likeness.Training.Cast;

namespace Likeness.Training.Evaluation;

/// <summary>How a reference photo was spoiled before it reached the encoder.</summary>
public enum ReferenceQuality
{
    Clean,
    Blurred,
    Dark,
    LowResolution,
}

/// <summary>Renders reference photos of a character at a given quality.</summary>
public static class ReferencePhotos
{
    /// <summary>Side of a clean reference render, in pixels.</summary>
    public const int Side = 128;

    /// <summary>Side a low-resolution reference is rendered at: the face spans about a dozen pixels.</summary>
    public const int LowResolutionSide = 24;

    /// <returns>Interleaved RGB8 pixels, the render's side, and the face box, as the encoder would receive them.</returns>
    /// <param name="cleanSide">Side of the render in pixels, unless <paramref name="quality"/> is low resolution. Default <see cref="Side"/>.</param>
    public static RenderedFrame Render(CharacterTraits who, int photoSeed, ReferenceQuality quality, int cleanSide = Side)
    {
        var clip = ClipDirector.Direct(photoSeed, frames: 8);
        var pose = clip.Poses[photoSeed % clip.Poses.Count];
        var side = quality == ReferenceQuality.LowResolution ? LowResolutionSide : cleanSide;
        var frame = CastRenderer.Render(who, clip.Background, pose, side);
        return quality switch
        {
            ReferenceQuality.Blurred => frame with { Rgb = BoxBlur(frame.Rgb, side, radius: 5) },
            ReferenceQuality.Dark => frame with { Rgb = frame.Rgb.Select(v => (byte)(v * 0.3f)).ToArray() },
            _ => frame,
        };
    }

    /// <summary>Two passes of a separable box blur (close to a Gaussian of σ ≈ radius / √1.5).</summary>
    private static byte[] BoxBlur(byte[] rgb, int side, int radius)
    {
        var values = rgb.Select(v => (float)v).ToArray();
        for (var pass = 0; pass < 2; pass++)
        {
            values = Blur1D(values, side, radius, horizontal: true);
            values = Blur1D(values, side, radius, horizontal: false);
        }

        return values.Select(v => (byte)Math.Clamp(MathF.Round(v), 0, 255)).ToArray();
    }

    private static float[] Blur1D(float[] values, int side, int radius, bool horizontal)
    {
        var output = new float[values.Length];
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var sum = 0f;
                    for (var k = -radius; k <= radius; k++)
                    {
                        int sx = horizontal ? Math.Clamp(x + k, 0, side - 1) : x, sy = horizontal ? y : Math.Clamp(y + k, 0, side - 1);
                        sum += values[(((sy * side) + sx) * 3) + c];
                    }

                    output[(((y * side) + x) * 3) + c] = sum / ((2 * radius) + 1);
                }
            }
        }

        return output;
    }
}
