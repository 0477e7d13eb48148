using System.Diagnostics;
using System.Globalization;
using Likeness.Model.Faces;
using SkiaSharp;

namespace Likeness.Training.Faces;

/// <summary>
/// Measures a face detector on real photos with one face each: detection rate over <see cref="PhotoViews.Standard"/>,
/// the smallest face found on a large canvas, and time per detection. The face found in the untouched photo is the
/// reference; a view counts as found when its largest detection's centre lies inside the reference box carried into the
/// view and its width is within a factor of 1.5 of it.
/// </summary>
public static class FaceDetectorReport
{
    /// <summary>Runs the measurements and prints them; returns the detection rate (0..1).</summary>
    public static double Run(LoadedFaceDetector detector, IReadOnlyList<string> photoPaths, TextWriter output)
    {
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine($"Detector {detector.ModelId} (input {detector.Config.InputSize}, score threshold {detector.Config.ScoreThreshold})");
        int found = 0, total = 0;
        var misses = new List<string>();
        var photos = photoPaths.Select(p => (Name: Path.GetFileName(p), Image: RgbaImage.Decode(File.ReadAllBytes(p)))).ToList();
        foreach (var (name, photo) in photos)
        {
            var reference = Largest(detector, photo) ?? throw new InvalidOperationException($"No face in the untouched {name}.");
            foreach (var view in PhotoViews.Standard(photo))
            {
                total++;
                if (Matches(Largest(detector, view.Image), reference.Box, view.FromPhoto))
                {
                    found++;
                }
                else
                {
                    misses.Add($"{name}: {view.Name}");
                }
            }
        }

        var rate = found / (double)total;
        output.WriteLine(string.Create(culture, $"Detection rate over transformed views: {found}/{total} = {rate:P1}"));
        foreach (var miss in misses)
        {
            output.WriteLine($"  missed {miss}");
        }

        // Smallest face: each photo shrunk onto a 2000 px grey canvas until its face is no longer found.
        const int canvas = 2000;
        foreach (var (name, photo) in photos)
        {
            var reference = Largest(detector, photo)!.Box;
            var sizes = new List<string>();
            float? smallest = null;
            foreach (var faceWidth in new[] { 600, 400, 300, 250, 200, 160, 130, 100, 85, 70, 55, 40 })
            {
                var view = PhotoViews.OnCanvas(photo, canvas, faceWidth / reference.Width, new SKPoint(reference.Centre.X, reference.Centre.Y));
                var hit = Matches(Largest(detector, view.Image), reference, view.FromPhoto);
                sizes.Add($"{faceWidth}{(hit ? "+" : "-")}");
                if (hit)
                {
                    smallest = faceWidth;
                }
            }

            output.WriteLine($"{name} on a {canvas} px canvas, face width px (+ found, - missed): {string.Join(' ', sizes)}; smallest found {smallest?.ToString(culture) ?? "none"}");
        }

        // Time per detection, after a warm-up, over the photos as they are.
        foreach (var (name, photo) in photos)
        {
            detector.Detect(photo.Pixels, photo.Width, photo.Height);
            const int runs = 20;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < runs; i++)
            {
                detector.Detect(photo.Pixels, photo.Width, photo.Height);
            }

            output.WriteLine(string.Create(culture,
                $"{name} {photo.Width}×{photo.Height}: {clock.Elapsed.TotalMilliseconds / runs:0.0} ms per detection ({Environment.ProcessorCount} cores, {TorchSharp.torch.get_num_threads()} LibTorch threads)"));
        }

        return rate;
    }

    /// <summary>The largest face found, or null.</summary>
    public static DetectedFace? Largest(LoadedFaceDetector detector, RgbaImage image)
    {
        var faces = detector.Detect(image.Pixels, image.Width, image.Height);
        return faces.Count > 0 ? faces[0] : null;
    }

    /// <summary>Whether a detection agrees with a reference box carried into the view by <paramref name="fromPhoto"/>.</summary>
    public static bool Matches(DetectedFace? face, PixelBox reference, SKMatrix fromPhoto)
    {
        if (face is null)
        {
            return false;
        }

        var corners = new[]
        {
            fromPhoto.MapPoint(reference.X, reference.Y), fromPhoto.MapPoint(reference.X + reference.Width, reference.Y),
            fromPhoto.MapPoint(reference.X, reference.Y + reference.Height), fromPhoto.MapPoint(reference.X + reference.Width, reference.Y + reference.Height),
        };
        float left = corners.Min(c => c.X), right = corners.Max(c => c.X), top = corners.Min(c => c.Y), bottom = corners.Max(c => c.Y);
        var expectedWidth = (float)Math.Sqrt(Math.Abs(fromPhoto.ScaleX * fromPhoto.ScaleY - fromPhoto.SkewX * fromPhoto.SkewY)) * reference.Width;
        var centre = face.Box.Centre;
        var ratio = face.Box.Width / expectedWidth;
        return centre.X >= left && centre.X <= right && centre.Y >= top && centre.Y <= bottom && ratio is > 1 / 1.5f and < 1.5f;
    }
}
