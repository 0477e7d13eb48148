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

    /// <summary>One frame's [3, height, width] values.</summary>
    public ReadOnlySpan<float> Frame(int frame) => Values.AsSpan(frame * 3 * Plane, 3 * Plane);
}
