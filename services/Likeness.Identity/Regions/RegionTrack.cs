namespace Likeness.Identity.Regions;

/// <summary>A box over the clip: fixed, or keyframed and interpolated linearly over normalised time.</summary>
public sealed record RegionTrack(NormalizedBox Box, IReadOnlyList<(float Time, NormalizedBox Box)> Keyframes)
{
    public static RegionTrack WholeFrame { get; } = new(new NormalizedBox(0, 0, 1, 1), []);

    /// <param name="time">0 at the first frame, 1 at the last.</param>
    public NormalizedBox At(float time)
    {
        if (Keyframes.Count == 0)
        {
            return Box;
        }

        if (time <= Keyframes[0].Time)
        {
            return Keyframes[0].Box;
        }

        for (var i = 1; i < Keyframes.Count; i++)
        {
            if (time <= Keyframes[i].Time)
            {
                var (t0, a) = Keyframes[i - 1];
                var (t1, b) = Keyframes[i];
                var f = (time - t0) / Math.Max(1e-6f, t1 - t0);
                return new NormalizedBox(a.X + ((b.X - a.X) * f), a.Y + ((b.Y - a.Y) * f), a.Width + ((b.Width - a.Width) * f), a.Height + ((b.Height - a.Height) * f));
            }
        }

        return Keyframes[^1].Box;
    }
}
