namespace Likeness.Identity.Images;

/// <summary>Pixels as every Likeness model reads them: RGB planes, channel-major, scaled from 0..255 to -1..1.</summary>
public static class PixelPlanes
{
    /// <param name="pixels">Interleaved 8-bit pixels, <paramref name="bytesPerPixel"/> apart, RGB first (RGB8 = 3, RGBA8 = 4).</param>
    /// <returns>[3, pixels] in -1..1; any channel after blue is dropped.</returns>
    public static float[] FromInterleaved(ReadOnlySpan<byte> pixels, int bytesPerPixel)
    {
        var plane = pixels.Length / bytesPerPixel;
        var planes = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                planes[(c * plane) + i] = (pixels[(i * bytesPerPixel) + c] / 127.5f) - 1f;
            }
        }

        return planes;
    }
}
