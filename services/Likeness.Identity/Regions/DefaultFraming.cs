namespace Likeness.Identity.Regions;

/// <summary>
/// Where a character goes when its request gives no region: framed as the shipped video family was trained to draw a
/// face, never the whole frame (a model trained on face boxes draws a frame-filling face with extra eyes there).
/// One character gets a centred face box of the size the cast's solo clips have on average; several stand side by
/// side, each in an equal column at the size of the cast's two-character clips, narrower when more must fit.
/// </summary>
/// <remarks>
/// The boxes are the mean face boxes of <c>Likeness.Training.Cast.ClipDirector</c>'s clips (solo: centre 0.5, 0.5,
/// face 0.6 of the frame high; pairs: centres a quarter in from each side, 0.35 high). A test in
/// <c>Likeness.Training.Tests</c> renders the cast's clips and fails when these drift from what the renderer draws.
/// </remarks>
public static class DefaultFraming
{
    /// <summary>The face box of a character alone in the clip, in 0..1 of the frame.</summary>
    public static NormalizedBox Solo { get; } = new(0.275f, 0.2f, 0.45f, 0.6f);

    /// <summary>Width and height of each face box when several characters share the clip, in 0..1 of the frame.</summary>
    public static (float Width, float Height) Group { get; } = (0.27f, 0.35f);

    /// <summary>Leaves this share of each column free between neighbours when the group's boxes must shrink to fit.</summary>
    private const float ColumnFill = 0.85f;

    /// <summary>The region of character <paramref name="index"/> of <paramref name="count"/> when it gives none.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not within 0..count-1.</exception>
    public static RegionTrack For(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        if (count == 1)
        {
            return new RegionTrack(Solo, []);
        }

        var column = 1f / count;
        var scale = Math.Min(1f, column * ColumnFill / Group.Width);
        var (width, height) = (Group.Width * scale, Group.Height * scale);
        var centre = (index + 0.5f) * column;
        return new RegionTrack(new NormalizedBox(centre - (width / 2), 0.5f - (height / 2), width, height), []);
    }
}
