using Likeness.Identity.Internal;
using Likeness.Model.Faces;
using SkiaSharp;

namespace Likeness.Identity.Faces;

/// <summary>
/// The cast family's face finder: the largest connected region whose colour differs from the border's median colour,
/// when it covers a face-sized share (4%..90%) of the frame. It suits the procedural cast's drawn heads on plain
/// backgrounds, not photos; it gives no landmarks.
/// </summary>
public sealed class CastSubjectFinder : IFaceFinder
{
    /// <summary>The name cast-family manifests give in <c>face_finder</c>.</summary>
    public const string FinderName = "cast-subject";

    private const int Grid = 64;
    private const float MinArea = 0.04f;
    private const float MaxArea = 0.90f;

    /// <inheritdoc/>
    public string Name => FinderName;

    /// <summary>A photo of a person reaches this family only by mistake: it draws an unrelated character from one.</summary>
    public string NoFaceAdvice =>
        "the centre of the image is used. The generation family draws characters like the bundled references (a drawn head on a plain background); " +
        "from a photo of a person it draws an unrelated character. Photos of people are for scoring clips: `likeness encode --family photo`, `likeness score`.";

    /// <summary>The cast identity model reads 32 px crops; any subject the finder accepts is large enough.</summary>
    public int MinFaceSide => 32;

    /// <returns>No face, or one with confidence 1 and no landmarks.</returns>
    public IReadOnlyList<DetectedFace> Find(SKBitmap working)
    {
        using var grid = BitmapScaling.Scale(working, Grid / (double)Math.Max(working.Width, working.Height));
        int w = grid.Width, h = grid.Height;
        var pixels = grid.GetPixelSpan();
        var border = new List<(byte R, byte G, byte B)>();
        for (var i = 0; i < w * h; i++)
        {
            int x = i % w, y = i / w;
            if (x == 0 || y == 0 || x == w - 1 || y == h - 1)
            {
                border.Add((pixels[i * 4], pixels[(i * 4) + 1], pixels[(i * 4) + 2]));
            }
        }

        var background = (R: Median(border.Select(p => p.R)), G: Median(border.Select(p => p.G)), B: Median(border.Select(p => p.B)));
        var foreground = new bool[w * h];
        for (var i = 0; i < foreground.Length; i++)
        {
            int dr = pixels[i * 4] - background.R, dg = pixels[(i * 4) + 1] - background.G, db = pixels[(i * 4) + 2] - background.B;
            foreground[i] = (dr * dr) + (dg * dg) + (db * db) > 48 * 48;
        }

        var (count, minX, minY, maxX, maxY) = LargestComponent(foreground, w, h);
        var area = count / (float)(w * h);
        if (area < MinArea || area > MaxArea)
        {
            return [];
        }

        float scaleX = working.Width / (float)w, scaleY = working.Height / (float)h;
        var box = new PixelBox(minX * scaleX, minY * scaleY, (maxX - minX + 1) * scaleX, (maxY - minY + 1) * scaleY);
        return [new DetectedFace(box, Landmarks: null, Score: 1)];
    }

    private static (int Count, int MinX, int MinY, int MaxX, int MaxY) LargestComponent(bool[] mask, int w, int h)
    {
        var seen = new bool[mask.Length];
        var best = (Count: 0, MinX: 0, MinY: 0, MaxX: 0, MaxY: 0);
        var queue = new Queue<int>();
        for (var start = 0; start < mask.Length; start++)
        {
            if (!mask[start] || seen[start])
            {
                continue;
            }

            var current = (Count: 0, MinX: w, MinY: h, MaxX: 0, MaxY: 0);
            seen[start] = true;
            queue.Enqueue(start);
            while (queue.TryDequeue(out var i))
            {
                int x = i % w, y = i / w;
                current = (current.Count + 1, Math.Min(current.MinX, x), Math.Min(current.MinY, y), Math.Max(current.MaxX, x), Math.Max(current.MaxY, y));
                foreach (var next in (ReadOnlySpan<int>)[x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1])
                {
                    if (next >= 0 && mask[next] && !seen[next])
                    {
                        seen[next] = true;
                        queue.Enqueue(next);
                    }
                }
            }

            if (current.Count > best.Count)
            {
                best = current;
            }
        }

        return best;
    }

    private static byte Median(IEnumerable<byte> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
