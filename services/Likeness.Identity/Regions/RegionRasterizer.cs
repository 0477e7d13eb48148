namespace Likeness.Identity.Regions;

/// <summary>Turns a character's region track into the patch grid the denoiser's identity attention is confined to.</summary>
public static class RegionRasterizer
{
    /// <returns>[frames, rows, columns]: 1 where the patch centre lies in the box at that frame's time, else 0; never an empty frame.</returns>
    public static float[] Rasterize(RegionTrack track, int frames, int rows, int columns) =>
        Rasterize(track, Enumerable.Range(0, frames).Select(f => frames == 1 ? 0 : f / (float)(frames - 1)).ToList(), rows, columns);

    /// <summary>The same grid for frames at the given normalised times of the track (0..1), as a chunk of a longer shot needs.</summary>
    /// <returns>[times, rows, columns].</returns>
    public static float[] Rasterize(RegionTrack track, IReadOnlyList<float> times, int rows, int columns)
    {
        var frames = times.Count;
        var grid = new float[frames * rows * columns];
        for (var f = 0; f < frames; f++)
        {
            var box = track.At(times[f]);
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
