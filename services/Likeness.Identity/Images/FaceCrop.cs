using Likeness.Identity.Internal;
using Likeness.Identity.Regions;
using SkiaSharp;

namespace Likeness.Identity.Images;

/// <summary>Cuts the square the identity model reads: centred on the subject, or the centre of the image without one.</summary>
public static class FaceCrop
{
    /// <summary>Margin around the subject's box, as a multiple of its longer side.</summary>
    public const float Margin = 1.25f;

    /// <returns>[3, size, size] RGB scaled to -1..1, channel-major.</returns>
    public static float[] Extract(CheckedReference reference, NormalizedBox? subject, int size)
    {
        var working = reference.Working;
        int w = working.Width, h = working.Height;
        float side, centreX, centreY;
        if (subject is { } box)
        {
            side = Math.Min(Math.Min(w, h), Math.Max(box.Width * w, box.Height * h) * Margin);
            centreX = (box.X + (box.Width / 2)) * w;
            centreY = (box.Y + (box.Height / 2)) * h;
        }
        else
        {
            side = Math.Min(w, h);
            (centreX, centreY) = (w / 2f, h / 2f);
        }

        var left = Math.Clamp(centreX - (side / 2), 0, w - side);
        var top = Math.Clamp(centreY - (side / 2), 0, h - side);

        // Area-average the working copy down to within 2× of the crop first, so the cubic step never aliases and the
        // crop is the same whatever the photo's size (BitmapScaling).
        var (source, halvings) = BitmapScaling.Halve(working, BitmapScaling.Halvings(side / size));
        using var owned = halvings > 0 ? source : null;
        // Per axis: a halving drops an odd last row or column, so the halved copy is a little less than half.
        float scaleX = source.Width / (float)w, scaleY = source.Height / (float)h;
        using var image = SKImage.FromBitmap(source);
        using var crop = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(crop))
        {
            canvas.DrawImage(image, SKRect.Create(left * scaleX, top * scaleY, side * scaleX, side * scaleY), SKRect.Create(0, 0, size, size),
                new SKSamplingOptions(SKCubicResampler.Mitchell));
        }

        return PixelPlanes.FromInterleaved(crop.GetPixelSpan(), bytesPerPixel: 4);
    }

    /// <summary>The same square crop from channel-major planes: a frame the generator made, or one the cast rendered.</summary>
    /// <param name="planes">[3, height, width] in -1..1.</param>
    /// <returns>[3, size, size] in -1..1, bilinearly resampled, edges clamped.</returns>
    public static float[] Extract(ReadOnlySpan<float> planes, int width, int height, NormalizedBox box, int size)
    {
        var side = Math.Min(Math.Min(width, height), Math.Max(box.Width * width, box.Height * height) * Margin);
        var left = Math.Clamp(((box.X + (box.Width / 2)) * width) - (side / 2), 0, width - side);
        var top = Math.Clamp(((box.Y + (box.Height / 2)) * height) - (side / 2), 0, height - side);
        var step = side / size;
        var plane = width * height;
        var crop = new float[3 * size * size];
        for (var y = 0; y < size; y++)
        {
            var sy = Math.Clamp(top + ((y + 0.5f) * step) - 0.5f, 0, height - 1);
            int y0 = (int)sy, y1 = Math.Min(y0 + 1, height - 1);
            var fy = sy - y0;
            for (var x = 0; x < size; x++)
            {
                var sx = Math.Clamp(left + ((x + 0.5f) * step) - 0.5f, 0, width - 1);
                int x0 = (int)sx, x1 = Math.Min(x0 + 1, width - 1);
                var fx = sx - x0;
                for (var c = 0; c < 3; c++)
                {
                    var p = planes.Slice(c * plane, plane);
                    crop[(((c * size) + y) * size) + x] =
                        (p[(y0 * width) + x0] * (1 - fx) * (1 - fy)) + (p[(y0 * width) + x1] * fx * (1 - fy))
                        + (p[(y1 * width) + x0] * (1 - fx) * fy) + (p[(y1 * width) + x1] * fx * fy);
                }
            }
        }

        return crop;
    }
}
