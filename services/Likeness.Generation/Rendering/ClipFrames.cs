namespace Likeness.Generation.Rendering;

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

    /// <summary>Channel <paramref name="channel"/> of one frame at (x, y) in pixels, bilinearly sampled, edges clamped.</summary>
    public float Sample(int frame, int channel, float x, float y)
    {
        x = Math.Clamp(x, 0, Width - 1);
        y = Math.Clamp(y, 0, Height - 1);
        int x0 = (int)x, y0 = (int)y, x1 = Math.Min(x0 + 1, Width - 1), y1 = Math.Min(y0 + 1, Height - 1);
        float fx = x - x0, fy = y - y0;
        var baseIndex = ((frame * 3) + channel) * Plane;
        float Value(int px, int py) => Values[baseIndex + (py * Width) + px];
        return (Value(x0, y0) * (1 - fx) * (1 - fy)) + (Value(x1, y0) * fx * (1 - fy)) + (Value(x0, y1) * (1 - fx) * fy) + (Value(x1, y1) * fx * fy);
    }
}
