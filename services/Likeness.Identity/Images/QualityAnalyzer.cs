using Likeness.Identity.Faces;
using Likeness.Identity.Internal;
using Likeness.Identity.Regions;
using Likeness.Model.Faces;
using SkiaSharp;

namespace Likeness.Identity.Images;

/// <summary>Measures resolution, exposure and sharpness, and finds the faces with the identity family's own finder.</summary>
public static class QualityAnalyzer
{
    /// <summary>Short side below which fine facial detail is lost.</summary>
    public const int LowResolutionSide = 256;

    /// <summary>Laplacian variance below which a reference reads as blurred.</summary>
    public const float BlurThreshold = 40f;

    private const int SharpnessSide = 256;

    /// <summary>Measures <paramref name="reference"/>; its faces come from <paramref name="finder"/>, largest first, and the first is the one used.</summary>
    /// <param name="duplicate">Whether the same bytes came earlier in the request.</param>
    public static ReferenceQuality Analyze(CheckedReference reference, IFaceFinder finder, bool duplicate = false)
    {
        var (mean, dark, bright) = Exposure(Luma(reference.Working));
        var sharpness = Sharpness(reference.Working);
        var faces = finder.Find(reference.Working).OrderByDescending(f => f.Box.Area).ToList();
        var subject = faces.Count > 0 ? FoundFace.From(faces[0], reference.Working.Width, reference.Working.Height).Box : (NormalizedBox?)null;
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

        warnings.AddRange(FaceWarnings(reference, finder, faces));

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
            * (subject is null ? 0.6 : 1.0)
            * (warnings.Any(w => w.Code is QualityWarningCode.FaceTooSmall or QualityWarningCode.HeadTurned) ? 0.8 : 1.0);

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
            FaceFinder = finder.Name,
            Faces = faces.Select(f => FoundFace.From(f, reference.Working.Width, reference.Working.Height)).ToList(),
            Subject = subject,
            Score = (float)Math.Clamp(score, 0.05, 1.0),
            Warnings = warnings,
        };
    }

    /// <summary>No face, several faces, a face too small for the recogniser, a strongly turned head.</summary>
    private static IEnumerable<QualityWarning> FaceWarnings(CheckedReference reference, IFaceFinder finder, List<DetectedFace> faces)
    {
        if (faces.Count == 0)
        {
            yield return new(QualityWarningCode.NoFace,
                $"No face was found ({finder.Name}); {finder.NoFaceAdvice}");
            yield break;
        }

        if (faces.Count > 1)
        {
            yield return new(QualityWarningCode.SeveralFaces, $"{faces.Count} faces were found; the largest is used. Crop to one person.");
        }

        var used = faces[0];
        var side = (int)Math.Round(Math.Min(used.Box.Width, used.Box.Height) * reference.Width / (double)reference.Working.Width);
        if (side < finder.MinFaceSide)
        {
            yield return new(QualityWarningCode.FaceTooSmall,
                $"The face is {side} px across; at least {finder.MinFaceSide} px keeps its detail. Use a closer or larger photo.");
        }

        if (used.Landmarks is { } landmarks && Math.Abs(FacePose.Yaw(landmarks)) > FacePose.TurnedYaw)
        {
            yield return new(QualityWarningCode.HeadTurned,
                $"The head is turned (the nose sits {Math.Abs(FacePose.Yaw(landmarks)):0.00} eye-widths off centre); a frontal photo keeps the identity best.");
        }
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
}
