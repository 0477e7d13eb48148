using SkiaSharp;

namespace Likeness.Identity.Images;

/// <summary>Measures resolution, exposure, sharpness and whether a face-sized subject stands out from the background.</summary>
/// <remarks>The subject test is a heuristic (a region that differs from the border colour), not a face detector.</remarks>
public static class QualityAnalyzer
{
    /// <summary>Short side below which fine facial detail is lost.</summary>
    public const int LowResolutionSide = 256;

    /// <summary>Laplacian variance below which a reference reads as blurred.</summary>
    public const float BlurThreshold = 40f;

    private const int SharpnessSide = 256;
    private const int SubjectGrid = 64;
    private const float MinSubjectArea = 0.04f;
    private const float MaxSubjectArea = 0.90f;

    public static ReferenceQuality Analyze(CheckedReference reference, bool duplicate = false)
    {
        var (mean, dark, bright) = Exposure(Luma(reference.Working));
        var sharpness = Sharpness(reference.Working);
        var (subject, area) = FindSubject(reference.Working);
        var shortSide = Math.Min(reference.Width, reference.Height);

        var warnings = new List<QualityWarning>();
        if (shortSide < LowResolutionSide)
        {
            warnings.Add(new(QualityWarningCode.LowResolution, $"The short side is {shortSide} px; {LowResolutionSide} px or more keeps facial detail."));
        }

        if (mean < 0.2f || dark > 0.25f)
        {
            warnings.Add(new(QualityWarningCode.Underexposed, $"The image is dark (mean luma {mean:0.00}); use brighter, even light."));
        }

        if (mean > 0.8f || bright > 0.25f)
        {
            warnings.Add(new(QualityWarningCode.Overexposed, $"The image is washed out (mean luma {mean:0.00}); reduce exposure."));
        }

        if (sharpness < BlurThreshold)
        {
            warnings.Add(new(QualityWarningCode.Blurry, $"The image looks blurred (sharpness {sharpness:0.0}, below {BlurThreshold:0})."));
        }

        if (subject is null)
        {
            warnings.Add(area < MinSubjectArea
                ? new(QualityWarningCode.SubjectTooSmall, $"The subject covers {area:P0} of the frame; crop closer to the face.")
                : new(QualityWarningCode.NoSubject, "No subject stands out from the background; the centre of the image is used."));
        }

        if (reference.FrameCount > 1)
        {
            warnings.Add(new(QualityWarningCode.AnimatedFirstFrame, $"The image is animated ({reference.FrameCount} frames); only the first frame is used."));
        }

        if (duplicate)
        {
            warnings.Add(new(QualityWarningCode.Duplicate, "These bytes appear more than once in the request."));
        }

        var score = Math.Sqrt(Math.Min(1.0, shortSide / (double)LowResolutionSide))
            * (1.0 - Math.Min(0.8, Math.Max(0, Math.Abs(mean - 0.5) - 0.2) * 2.5 + Math.Max(dark, bright)))
            * Math.Min(1.0, 0.25 + (sharpness / (4 * BlurThreshold)))
            * (subject is null ? 0.6 : 1.0);

        return new ReferenceQuality
        {
            Index = reference.Index,
            Format = reference.Format,
            Width = reference.Width,
            Height = reference.Height,
            MeanLuma = mean,
            DarkClippedFraction = dark,
            BrightClippedFraction = bright,
            Sharpness = sharpness,
            Subject = subject,
            Score = (float)Math.Clamp(score, 0.05, 1.0),
            Warnings = warnings,
        };
    }

    private static (float Mean, float Dark, float Bright) Exposure(float[] luma)
    {
        double sum = 0;
        int dark = 0, bright = 0;
        foreach (var l in luma)
        {
            sum += l;
            dark += l < 0.02f ? 1 : 0;
            bright += l > 0.98f ? 1 : 0;
        }

        return ((float)(sum / luma.Length), dark / (float)luma.Length, bright / (float)luma.Length);
    }

    /// <summary>Rec. 709 luma in 0..1, row-major.</summary>
    private static float[] Luma(SKBitmap bitmap)
    {
        var pixels = bitmap.GetPixelSpan();
        var luma = new float[bitmap.Width * bitmap.Height];
        for (var i = 0; i < luma.Length; i++)
        {
            luma[i] = ((0.2126f * pixels[i * 4]) + (0.7152f * pixels[(i * 4) + 1]) + (0.0722f * pixels[(i * 4) + 2])) / 255f;
        }

        return luma;
    }

    private static float Sharpness(SKBitmap working)
    {
        var factor = Math.Min(1.0, SharpnessSide / (double)Math.Min(working.Width, working.Height));
        using var scaled = BitmapScaling.Scale(working, factor);
        var luma = Luma(scaled);
        int w = scaled.Width, h = scaled.Height;
        double sum = 0, sumSquares = 0;
        var n = 0;
        for (var y = 1; y < h - 1; y++)
        {
            for (var x = 1; x < w - 1; x++)
            {
                var i = (y * w) + x;
                double laplacian = 255 * ((4 * luma[i]) - luma[i - 1] - luma[i + 1] - luma[i - w] - luma[i + w]);
                sum += laplacian;
                sumSquares += laplacian * laplacian;
                n++;
            }
        }

        if (n == 0)
        {
            return 0;
        }

        var meanLaplacian = sum / n;
        return (float)((sumSquares / n) - (meanLaplacian * meanLaplacian));
    }

    /// <summary>The largest connected region whose colour differs from the border's median colour.</summary>
    /// <returns>Its box when it covers a face-sized share of the frame, and that share.</returns>
    private static (NormalizedBox? Box, float Area) FindSubject(SKBitmap working)
    {
        using var grid = BitmapScaling.Scale(working, SubjectGrid / (double)Math.Max(working.Width, working.Height));
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
        if (area < MinSubjectArea || area > MaxSubjectArea)
        {
            return (null, area);
        }

        return (new NormalizedBox(minX / (float)w, minY / (float)h, (maxX - minX + 1) / (float)w, (maxY - minY + 1) / (float)h), area);
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
