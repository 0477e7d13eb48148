namespace Likeness.Training.Data;

/// <summary>Rendered pixels as the models read them.</summary>
public static class Pixels
{
    /// <summary>Interleaved RGB8, <paramref name="side"/> × <paramref name="side"/> → [3, side, side] in -1..1, channel-major.</summary>
    public static float[] ToPlanes(byte[] rgb, int side)
    {
        var plane = side * side;
        var planes = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                planes[(c * plane) + i] = (rgb[(i * 3) + c] / 127.5f) - 1;
            }
        }

        return planes;
    }
}
