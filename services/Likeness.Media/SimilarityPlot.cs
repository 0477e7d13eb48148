using SkiaSharp;

namespace Likeness.Media;

/// <summary>One line of a <see cref="SimilarityPlot"/>: a value per frame, null where there is none.</summary>
public sealed record PlotSeries(string Name, IReadOnlyList<float?> Values);

/// <summary>
/// A line chart of a value per frame for each person, with a horizontal threshold line, written as PNG. Text is set in
/// DejaVu Sans Mono, embedded (its licence is in NOTICE), so plots look the same on machines without fonts.
/// </summary>
public static class SimilarityPlot
{
    private const int Width = 960, Height = 480, Left = 72, Right = 24, Top = 48, Bottom = 56;

    private static readonly SKColor[] Palette =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0x94, 0x67, 0xbd),
        new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x7f, 0x7f, 0x7f), new(0x17, 0xbe, 0xcf),
    ];

    private static readonly Lazy<SKTypeface> Typeface = new(() =>
    {
        using var stream = typeof(SimilarityPlot).Assembly.GetManifestResourceStream("Likeness.Media.Fonts.DejaVuSansMono.ttf")
            ?? throw new InvalidOperationException("The embedded font is missing.");
        return SKTypeface.FromStream(stream);
    });

    /// <summary>Draws the chart.</summary>
    /// <param name="series">One line per person; a null value leaves a gap and a grey tick under the axis.</param>
    /// <param name="threshold">Where the dashed threshold line is drawn, in the values' units.</param>
    /// <param name="range">The y axis: values outside are clamped to it.</param>
    /// <returns>PNG bytes, 960×480.</returns>
    public static byte[] Png(IReadOnlyList<PlotSeries> series, float threshold, (float Min, float Max) range, string title, string yLabel)
    {
        var frames = Math.Max(1, series.Max(s => s.Values.Count));
        using var bitmap = new SKBitmap(Width, Height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var font = new SKFont(Typeface.Value, 14);
        using var small = new SKFont(Typeface.Value, 12);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(0xdd, 0xdd, 0xdd), StrokeWidth = 1 };

        float X(int frame) => Left + ((Width - Left - Right) * (frames == 1 ? 0.5f : frame / (float)(frames - 1)));
        float Y(float value) => Top + ((Height - Top - Bottom) * (1 - ((Math.Clamp(value, range.Min, range.Max) - range.Min) / (range.Max - range.Min))));

        for (var k = 0; k <= 4; k++)
        {
            var value = range.Min + ((range.Max - range.Min) * k / 4);
            canvas.DrawLine(Left, Y(value), Width - Right, Y(value), grid);
            canvas.DrawText($"{value:0.00}", Left - 8, Y(value) + 4, SKTextAlign.Right, small, ink);
        }

        var step = Math.Max(1, (int)Math.Ceiling(frames / 12.0));
        for (var frame = 0; frame < frames; frame += step)
        {
            canvas.DrawText(frame.ToString(System.Globalization.CultureInfo.InvariantCulture), X(frame), Height - Bottom + 18, SKTextAlign.Center, small, ink);
        }

        canvas.DrawText(title, Left, 28, SKTextAlign.Left, font, ink);
        canvas.DrawText("frame", (Left + Width - Right) / 2f, Height - 12, SKTextAlign.Center, small, ink);
        canvas.Save();
        canvas.RotateDegrees(-90, 16, Height / 2f);
        canvas.DrawText(yLabel, 16, (Height / 2f) + 4, SKTextAlign.Center, small, ink);
        canvas.Restore();

        using (var dashed = new SKPaint { Color = new SKColor(0xd6, 0x27, 0x28), StrokeWidth = 2, PathEffect = SKPathEffect.CreateDash([8, 6], 0), IsAntialias = true })
        {
            canvas.DrawLine(Left, Y(threshold), Width - Right, Y(threshold), dashed);
            dashed.PathEffect = null;
            canvas.DrawText($"threshold {threshold:0.00}", Width - Right - 4, Y(threshold) - 6, SKTextAlign.Right, small, dashed);
        }

        for (var s = 0; s < series.Count; s++)
        {
            var colour = Palette[s % Palette.Length];
            using var line = new SKPaint { Color = colour, StrokeWidth = 2.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
            using var dot = new SKPaint { Color = colour, IsAntialias = true };
            using var missing = new SKPaint { Color = new SKColor(0x99, 0x99, 0x99), StrokeWidth = 2 };
            var values = series[s].Values;
            for (var frame = 0; frame < values.Count; frame++)
            {
                if (values[frame] is not { } value)
                {
                    var y = Height - Bottom + 2 + (s * 3);
                    canvas.DrawLine(X(frame) - 3, y, X(frame) + 3, y, missing);
                    continue;
                }

                canvas.DrawCircle(X(frame), Y(value), 3.5f, dot);
                if (frame + 1 < values.Count && values[frame + 1] is { } next)
                {
                    canvas.DrawLine(X(frame), Y(value), X(frame + 1), Y(next), line);
                }
            }

            var legendY = Top + 6 + (s * 18);
            canvas.DrawRect(Width - Right - 190, legendY - 9, 12, 12, dot);
            canvas.DrawText(series[s].Name, Width - Right - 172, legendY + 2, SKTextAlign.Left, small, ink);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
