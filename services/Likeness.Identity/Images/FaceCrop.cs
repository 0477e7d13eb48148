using SkiaSharp;

namespace Likeness.Identity.Images;

/// <summary>Cuts the square the identity model reads: centred on the subject, or the centre of the image without one.</summary>
public static class FaceCrop
{
    /// <summary>Margin around the subject's box, as a multiple of its longer side.</summary>
    private const float Margin = 1.25f;

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
        using var image = SKImage.FromBitmap(working);
        using var crop = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(crop))
        {
            canvas.DrawImage(image, SKRect.Create(left, top, side, side), SKRect.Create(0, 0, size, size),
                new SKSamplingOptions(SKCubicResampler.Mitchell));
        }

        var pixels = crop.GetPixelSpan();
        var plane = size * size;
        var chw = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                chw[(c * plane) + i] = (pixels[(i * 4) + c] / 127.5f) - 1f;
            }
        }

        return chw;
    }
}
