namespace Likeness.Media;

/// <summary>A clip as the denoiser returns it: [frames, 3, height, width] floats in -1..1.</summary>
public sealed record ClipFrames(float[] Values, int Frames, int Height, int Width)
{
    private int Plane => Height * Width;

    /// <summary>Interleaved 8-bit RGB of one frame, row-major.</summary>
    public byte[] Rgb8(int frame)
    {
        var rgb = new byte[Plane * 3];
        var offset = frame * 3 * Plane;
        for (var i = 0; i < Plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                rgb[(i * 3) + c] = (byte)Math.Clamp((int)MathF.Round((Values[offset + (c * Plane) + i] + 1) * 127.5f), 0, 255);
            }
        }

        return rgb;
    }

    /// <summary>Frames of interleaved 8-bit RGB as values in -1..1 (v / 127.5 − 1): the inverse of <see cref="Rgb8"/> on its outputs.</summary>
    /// <exception cref="ArgumentException">A frame is not height × width × 3 bytes.</exception>
    public static ClipFrames FromRgb8(IReadOnlyList<byte[]> frames, int height, int width)
    {
        var plane = height * width;
        var values = new float[frames.Count * 3 * plane];
        for (var f = 0; f < frames.Count; f++)
        {
            var rgb = frames[f];
            if (rgb.Length != plane * 3)
            {
                throw new ArgumentException($"Frame {f} has {rgb.Length} bytes; {width}×{height} RGB8 has {plane * 3}.", nameof(frames));
            }

            var offset = f * 3 * plane;
            for (var i = 0; i < plane; i++)
            {
                for (var c = 0; c < 3; c++)
                {
                    values[offset + (c * plane) + i] = (rgb[(i * 3) + c] / 127.5f) - 1;
                }
            }
        }

        return new ClipFrames(values, frames.Count, height, width);
    }

    /// <summary>One frame's [3, height, width] values.</summary>
    public ReadOnlySpan<float> Frame(int frame) => Values.AsSpan(frame * 3 * Plane, 3 * Plane);
}
