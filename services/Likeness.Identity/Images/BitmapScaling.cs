using SkiaSharp;

namespace Likeness.Identity.Images;

internal static class BitmapScaling
{
    /// <summary>A new RGBA copy of <paramref name="source"/> scaled by <paramref name="factor"/> (at least 1×1).</summary>
    /// <remarks>Cubic resampling: several times cheaper here than building mipmaps, and smooth enough at these ratios.</remarks>
    public static SKBitmap Scale(SKBitmap source, double factor)
    {
        var info = new SKImageInfo(
            Math.Max(1, (int)Math.Round(source.Width * factor)),
            Math.Max(1, (int)Math.Round(source.Height * factor)),
            SKColorType.Rgba8888,
            SKAlphaType.Unpremul);
        return source.Resize(info, new SKSamplingOptions(SKCubicResampler.Mitchell))
            ?? throw new InvalidOperationException("Scaling a reference failed.");
    }
}
