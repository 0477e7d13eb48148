using SkiaSharp;

namespace Likeness.Identity.Internal;

/// <summary>
/// Downscaling that gives the same picture whatever the source's size: a 2×2 area average (a mipmap level) for every
/// halving, then a cubic resample for the rest, which is then less than 2×. A cubic filter alone reads a 4×4
/// neighbourhood whatever the ratio, so past 2× it aliases: a 2048 px photo then gives another identity than a 128 px
/// one of the same face (the low-pass-before-resample rule of any image pipeline; see DESIGN.md, scale-invariant
/// references).
/// </summary>
internal static class BitmapScaling
{
    /// <summary>A new RGBA copy of <paramref name="source"/> scaled by <paramref name="factor"/> (at least 1×1).</summary>
    public static SKBitmap Scale(SKBitmap source, double factor)
    {
        var (halved, halvings) = Halve(source, Halvings(1 / factor));
        using var owned = halvings > 0 ? halved : null;
        var info = new SKImageInfo(
            Math.Max(1, (int)Math.Round(source.Width * factor)),
            Math.Max(1, (int)Math.Round(source.Height * factor)),
            SKColorType.Rgba8888,
            SKAlphaType.Unpremul);
        return halved.Resize(info, new SKSamplingOptions(SKCubicResampler.Mitchell))
            ?? throw new InvalidOperationException("Scaling a reference failed.");
    }

    /// <summary>How many halvings a picture shrunk by <paramref name="ratio"/> (source / target) takes before its cubic step, which is then under 2×.</summary>
    public static int Halvings(double ratio) => ratio >= 2 ? (int)Math.Floor(Math.Log2(ratio)) : 0;

    /// <summary>
    /// <paramref name="source"/> halved up to <paramref name="levels"/> times by 2×2 area averages, and how many times it
    /// was (it stops at 1 px); <paramref name="source"/> itself when none is done. The caller disposes a halved copy.
    /// </summary>
    public static (SKBitmap Bitmap, int Halvings) Halve(SKBitmap source, int levels)
    {
        var current = source;
        var done = 0;
        while (done < levels && current.Width >= 2 && current.Height >= 2)
        {
            var next = Halve(current);
            if (!ReferenceEquals(current, source))
            {
                current.Dispose();
            }

            current = next;
            done++;
        }

        return (current, done);
    }

    /// <summary>One mipmap level: each output pixel the alpha-weighted mean of a 2×2 block (a trailing odd row or column is dropped).</summary>
    private static SKBitmap Halve(SKBitmap source)
    {
        int width = source.Width / 2, height = source.Height / 2;
        var halved = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var from = source.GetPixelSpan();
        var to = halved.GetPixelSpan();
        var stride = source.Width * 4;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var a = (2 * y * stride) + (8 * x);
                Span<int> offsets = [a, a + 4, a + stride, a + stride + 4];
                int alpha = 0, r = 0, g = 0, b = 0;
                foreach (var o in offsets)
                {
                    var weight = from[o + 3];
                    alpha += weight;
                    r += from[o] * weight;
                    g += from[o + 1] * weight;
                    b += from[o + 2] * weight;
                }

                var t = ((y * width) + x) * 4;
                if (alpha > 0)
                {
                    to[t] = (byte)((r + (alpha / 2)) / alpha);
                    to[t + 1] = (byte)((g + (alpha / 2)) / alpha);
                    to[t + 2] = (byte)((b + (alpha / 2)) / alpha);
                }

                to[t + 3] = (byte)((alpha + 2) / 4);
            }
        }

        return halved;
    }
}
