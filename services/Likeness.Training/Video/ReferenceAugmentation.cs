using Likeness.Media;

namespace Likeness.Training.Video;

/// <summary>
/// What a user's reference photo does to a face that a clean render does not: a different exposure, softness, and JPEG
/// compression. Applied to a rendered reference before its crop, so the identity bank learns the face, not the camera;
/// the photo's scale varies by the side it is rendered at (<see cref="ClipSamples"/>).
/// </summary>
/// <remarks>
/// Each effect is drawn independently: exposure (gain 0.75–1.25 and gamma 0.8–1.25) half the time, a 3×3 binomial blur
/// (σ ≈ 0.7 px) a quarter of the time, and a JPEG round trip at quality 70–95 half the time — the range the encoder is
/// held to by <c>ReferenceSizeInvarianceTests</c>.
/// </remarks>
public static class ReferenceAugmentation
{
    /// <summary>A new interleaved RGB8 image, <paramref name="side"/> × <paramref name="side"/>, the input unchanged.</summary>
    public static byte[] Apply(byte[] rgb, int side, Random random)
    {
        var image = (byte[])rgb.Clone();
        if (random.NextSingle() < 0.5f)
        {
            Expose(image, gain: 0.75f + (0.5f * random.NextSingle()), gamma: 0.8f + (0.45f * random.NextSingle()));
        }

        if (random.NextSingle() < 0.25f)
        {
            image = Blur(image, side);
        }

        if (random.NextSingle() < 0.5f)
        {
            image = FrameImages.DecodeRgb(FrameImages.Jpeg(image, side, side, quality: random.Next(70, 96))).Rgb;
        }

        return image;
    }

    private static void Expose(byte[] image, float gain, float gamma)
    {
        Span<byte> table = stackalloc byte[256];
        for (var v = 0; v < 256; v++)
        {
            table[v] = (byte)Math.Clamp(MathF.Round(255 * MathF.Pow(Math.Min(1f, gain * v / 255f), gamma)), 0, 255);
        }

        for (var i = 0; i < image.Length; i++)
        {
            image[i] = table[image[i]];
        }
    }

    /// <summary>The [1 2 1] ⊗ [1 2 1] / 16 kernel, edges clamped.</summary>
    private static byte[] Blur(byte[] image, int side)
    {
        var blurred = new byte[image.Length];
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var sum = 0;
                    for (var dy = -1; dy <= 1; dy++)
                    {
                        for (var dx = -1; dx <= 1; dx++)
                        {
                            var yy = Math.Clamp(y + dy, 0, side - 1);
                            var xx = Math.Clamp(x + dx, 0, side - 1);
                            sum += image[(((yy * side) + xx) * 3) + c] * (2 - Math.Abs(dy)) * (2 - Math.Abs(dx));
                        }
                    }

                    blurred[(((y * side) + x) * 3) + c] = (byte)((sum + 8) / 16);
                }
            }
        }

        return blurred;
    }
}
