namespace Likeness.Identity.Regions;

/// <summary>Turns a character's region track into the patch grid the denoiser's identity attention is confined to.</summary>
public static class RegionRasterizer
{
    /// <returns>[frames, rows, columns]: 1 where the patch centre lies in the box at that frame's time, else 0; never an empty frame.</returns>
    public static float[] Rasterize(RegionTrack track, int frames, int rows, int columns)
    {
        var grid = new float[frames * rows * columns];
        for (var f = 0; f < frames; f++)
        {
            var box = track.At(frames == 1 ? 0 : f / (float)(frames - 1));
            var covered = false;
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    float x = (c + 0.5f) / columns, y = (r + 0.5f) / rows;
                    if (x >= box.X && x <= box.X + box.Width && y >= box.Y && y <= box.Y + box.Height)
                    {
                        grid[(((f * rows) + r) * columns) + c] = 1;
                        covered = true;
                    }
                }
            }

            if (!covered)
            {
                // A box smaller than a patch still owns the patch under its centre.
                var row = Math.Clamp((int)((box.Y + (box.Height / 2)) * rows), 0, rows - 1);
                var column = Math.Clamp((int)((box.X + (box.Width / 2)) * columns), 0, columns - 1);
                grid[(((f * rows) + row) * columns) + column] = 1;
            }
        }

        return grid;
    }
}
