using System.Globalization;
using System.Text;
using Likeness.Identity.Scoring;
using Likeness.Model.Faces;
using Likeness.Model.Identity;

namespace Likeness.Training.Faces;

/// <summary>
/// Calibrates the photo pipeline's same-person threshold on pairs that can be made here without labelled photos of
/// people: transformed views of one photo are the same person (positives); faces of different photos are different
/// people (negatives), including two people composited side by side into one frame, whose two faces are certainly
/// different people. Every face goes through the real pipeline (BlazeFace landmarks, then a chip, then dlib's ResNet),
/// once per chip method, and every pair is compared by Euclidean distance and by cosine distance (1 − cosine).
/// </summary>
/// <remarks>
/// The positives are easier than real same-person pairs (one photo, one moment, one expression), and three people are
/// far fewer than the world: the figures bound what the pipeline does on its own input, not its accuracy on LFW.
/// </remarks>
public static class FaceCalibration
{
    /// <summary>How a face is cut from the photo for the recogniser.</summary>
    public enum ChipMethod
    {
        /// <summary><see cref="FaceAlignment.Chip"/>: rotated and scaled from the landmarks, as dlib cuts its training chips (the pipeline's).</summary>
        Aligned,

        /// <summary><see cref="FaceAlignment.AxisAlignedCrop"/>: face-api's box around eyes and mouth, no rotation.</summary>
        AxisAlignedCrop,
    }

    /// <summary>How two descriptors are compared; both are distances, smaller meaning more alike.</summary>
    public enum Metric
    {
        /// <summary>Euclidean distance, dlib's metric (the pipeline's).</summary>
        Euclidean,

        /// <summary>1 − cosine similarity.</summary>
        CosineDistance,
    }

    /// <summary>One face found in a view: the person (photo) it belongs to, the view's name and its descriptor per method.</summary>
    public sealed record Face(string Person, string View, int Frame, IReadOnlyDictionary<ChipMethod, float[]> Descriptors);

    /// <summary>Two faces compared: same person or not, whether they share one frame, and their distance under each method and metric.</summary>
    public sealed record Pair(Face A, Face B, bool SamePerson, bool SameFrame, IReadOnlyDictionary<(ChipMethod, Metric), float> Distances);

    /// <summary>Distances of the positive and negative pairs under one method and metric, and the threshold chosen from them.</summary>
    public sealed record Separation(ChipMethod Method, Metric Metric, float[] Positives, float[] Negatives, float Threshold)
    {
        /// <summary>Smallest negative minus largest positive: positive when every positive lies below every negative.</summary>
        public float Gap => Negatives.Min() - Positives.Max();

        /// <summary>Fraction of positives strictly below <paramref name="threshold"/> (true-match rate).</summary>
        public double TrueMatchRate(float threshold) => Positives.Count(d => d < threshold) / (double)Positives.Length;

        /// <summary>Fraction of negatives strictly below <paramref name="threshold"/> (false-match rate).</summary>
        public double FalseMatchRate(float threshold) => Negatives.Count(d => d < threshold) / (double)Negatives.Length;

        /// <summary>
        /// d′ = (mean negative − mean positive) / √((var positive + var negative) / 2): separation in units of the spread,
        /// comparable across metrics whose scales differ.
        /// </summary>
        public double Discriminability
        {
            get
            {
                static (double Mean, double Variance) Moments(float[] values)
                {
                    var mean = values.Average(v => (double)v);
                    return (mean, values.Average(v => (v - mean) * (v - mean)));
                }

                var (p, n) = (Moments(Positives), Moments(Negatives));
                return (n.Mean - p.Mean) / Math.Sqrt((p.Variance + n.Variance) / 2);
            }
        }
    }

    /// <summary>The faces measured, the pairs made of them, the views where no face (or the wrong one) was found, and one separation per method and metric.</summary>
    public sealed record Result(IReadOnlyList<Face> Faces, IReadOnlyList<Pair> Pairs, IReadOnlyList<string> Missed, IReadOnlyList<Separation> Separations)
    {
        public Separation Of(ChipMethod method, Metric metric) => Separations.Single(s => s.Method == method && s.Metric == metric);
    }

    /// <summary>Share of the distance between the two medians kept clear below the closest negative by <see cref="ChooseThreshold"/>.</summary>
    public const float SafetyMargin = 0.1f;

    /// <summary>
    /// The threshold for one method and metric: the highest one with no false match on these pairs (the closest
    /// negative), lowered by a safety margin of <see cref="SafetyMargin"/> times the distance between the median
    /// negative and the median positive.
    /// </summary>
    /// <remarks>
    /// Why a margin below the closest negative, and not the midpoint of a gap: the two sets overlap (a few heavily
    /// blurred views of one person lie further apart than blurred faces of two people), so there is no gap to split, and
    /// the closest negative is one pair among three people. Real impostors are drawn from many more people (and from
    /// generated faces that drift between them) and come closer than these, and in consistency scoring a false match
    /// merges two people, the very failure the score exists to reveal; a missed match only marks a face absent. The
    /// margin is a share of the median-to-median distance, so it means the same on every metric's scale; at 0.1 it costs
    /// a few percent of the positives, all of them strongly degraded views.
    /// </remarks>
    public static float ChooseThreshold(IReadOnlyCollection<float> positives, IReadOnlyCollection<float> negatives)
    {
        var spread = Median(negatives.ToArray()) - Median(positives.ToArray());
        return negatives.Min() - (SafetyMargin * spread);
    }

    /// <summary>Runs the calibration.</summary>
    /// <param name="photos">One photo per person, named; at least two.</param>
    /// <param name="views">The views made of each photo (the untouched photo is always measured too).</param>
    /// <param name="composites">
    /// Whether to composite each pair of photos side by side (in both orders, untouched and mirrored) and measure the two
    /// faces found in each frame.
    /// </param>
    /// <param name="methods">The chip methods to run; each face costs one recogniser pass per method.</param>
    public static Result Run(
        LoadedFaceDetector detector,
        LoadedFaceRecogniser recogniser,
        IReadOnlyList<(string Person, RgbaImage Photo)> photos,
        Func<RgbaImage, IEnumerable<PhotoView>> views,
        bool composites,
        IReadOnlyList<ChipMethod> methods)
    {
        if (photos.Count < 2)
        {
            throw new ArgumentException("Negatives need photos of at least two people.", nameof(photos));
        }

        var faces = new List<Face>();
        var missed = new List<string>();
        var frame = 0;
        foreach (var (person, photo) in photos)
        {
            var reference = FaceDetectorReport.Largest(detector, photo) ?? throw new InvalidOperationException($"No face in the untouched photo of {person}.");
            faces.Add(Describe(recogniser, methods, person, "original", frame++, photo, reference));
            foreach (var view in views(photo))
            {
                // A face elsewhere than the photo's own would make a false positive: keep only the one where it should be.
                var face = FaceDetectorReport.Largest(detector, view.Image);
                if (FaceDetectorReport.Matches(face, reference.Box, view.FromPhoto))
                {
                    faces.Add(Describe(recogniser, methods, person, view.Name, frame++, view.Image, face!));
                }
                else
                {
                    missed.Add($"{person}: {view.Name}");
                }
            }
        }

        if (composites)
        {
            for (var i = 0; i < photos.Count; i++)
            {
                for (var j = i + 1; j < photos.Count; j++)
                {
                    foreach (var (left, right) in new[] { (photos[i], photos[j]), (photos[j], photos[i]) })
                    {
                        foreach (var mirrored in new[] { false, true })
                        {
                            var (leftImage, rightImage) = mirrored ? (PhotoViews.Mirror(left.Photo).Image, PhotoViews.Mirror(right.Photo).Image) : (left.Photo, right.Photo);
                            var name = $"{left.Person} | {right.Person}{(mirrored ? " mirrored" : "")}";
                            var pairFaces = Composite(detector, recogniser, methods, (left.Person, leftImage), (right.Person, rightImage), name, frame++);
                            if (pairFaces is null)
                            {
                                missed.Add($"composite {name}");
                            }
                            else
                            {
                                faces.AddRange(pairFaces);
                            }
                        }
                    }
                }
            }
        }

        var pairs = new List<Pair>();
        for (var i = 0; i < faces.Count; i++)
        {
            for (var j = i + 1; j < faces.Count; j++)
            {
                var distances = new Dictionary<(ChipMethod, Metric), float>();
                foreach (var method in methods)
                {
                    var (a, b) = (faces[i].Descriptors[method], faces[j].Descriptors[method]);
                    distances[(method, Metric.Euclidean)] = Euclidean(a, b);
                    distances[(method, Metric.CosineDistance)] = 1 - EmbeddingMath.Cosine(a, b);
                }

                pairs.Add(new Pair(faces[i], faces[j], faces[i].Person == faces[j].Person, faces[i].Frame == faces[j].Frame, distances));
            }
        }

        var separations = new List<Separation>();
        foreach (var method in methods)
        {
            foreach (var metric in Enum.GetValues<Metric>())
            {
                var positives = pairs.Where(p => p.SamePerson).Select(p => p.Distances[(method, metric)]).ToArray();
                var negatives = pairs.Where(p => !p.SamePerson).Select(p => p.Distances[(method, metric)]).ToArray();
                separations.Add(new Separation(method, metric, positives, negatives, ChooseThreshold(positives, negatives)));
            }
        }

        return new Result(faces, pairs, missed, separations);
    }

    /// <summary>Prints the calibration: pair counts, distributions, a threshold sweep and the chosen thresholds, as Markdown.</summary>
    public static string Report(Result result, string command)
    {
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(culture));
        var positives = result.Pairs.Count(p => p.SamePerson);
        var negatives = result.Pairs.Count - positives;
        var sameFrame = result.Pairs.Count(p => !p.SamePerson && p.SameFrame);
        Line($"# Same-person threshold calibration");
        Line($"");
        var people = string.Join(", ", result.Faces.GroupBy(f => f.Person).Select(g => $"{g.Key} {g.Count()}"));
        var missed = result.Missed.Count == 0 ? "none" : string.Join("; ", result.Missed);
        Line($"Made by `{command}`. {result.Faces.Count} faces ({people}); {positives} positive pairs (views of one photo), {negatives} negative pairs (different people), {sameFrame} of them the two faces of one composite frame. Views without the expected face, left out: {missed}.");
        Line($"");
        Line($"A pair is called the same person when its distance is below the threshold. TMR: share of positives called the same person; FMR: share of negatives called the same person.");
        Line($"");
        Line($"## Distributions and chosen thresholds");
        Line($"");
        Line($"| chip | metric | positives min / median / max | negatives min / median / max | one-frame negatives min | gap (min neg − max pos) | d′ | threshold | TMR | FMR |");
        Line($"|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in result.Separations)
        {
            Line($"| {s.Method} | {s.Metric} | {s.Positives.Min():0.0000} / {Median(s.Positives):0.0000} / {s.Positives.Max():0.0000} | {s.Negatives.Min():0.0000} / {Median(s.Negatives):0.0000} / {s.Negatives.Max():0.0000} | {OneFrame(result, s):0.0000} | {s.Gap:0.0000} | {s.Discriminability:0.00} | {s.Threshold:0.0000} | {s.TrueMatchRate(s.Threshold):P2} | {s.FalseMatchRate(s.Threshold):P2} |");
        }

        if (result.Separations.FirstOrDefault(s => s is { Method: ChipMethod.Aligned, Metric: Metric.Euclidean }) is { } used)
        {
            var threshold = ConsistencyScoring.DefaultThreshold;
            Line($"");
            Line($"The service (aligned chip, Euclidean) uses `ConsistencyScoring.DefaultThreshold` = {threshold:0.00}: TMR {used.TrueMatchRate(threshold):P2}, FMR {used.FalseMatchRate(threshold):P2} on these pairs.");
        }

        foreach (var s in result.Separations)
        {
            Line($"");
            Line($"## {s.Method}, {s.Metric}: sweep");
            Line($"");
            Line($"| threshold | TMR | FMR |");
            Line($"|---|---|---|");
            foreach (var threshold in Sweep(s.Metric))
            {
                Line($"| {threshold:0.00} | {s.TrueMatchRate(threshold):P2} | {s.FalseMatchRate(threshold):P2} |");
            }
        }

        Line($"");
        Line($"## Closest negative and farthest positive pairs");
        Line($"");
        foreach (var s in result.Separations)
        {
            var negative = result.Pairs.Where(p => !p.SamePerson).MinBy(p => p.Distances[(s.Method, s.Metric)])!;
            var positive = result.Pairs.Where(p => p.SamePerson).MaxBy(p => p.Distances[(s.Method, s.Metric)])!;
            Line($"- {s.Method}, {s.Metric}: closest negative {negative.Distances[(s.Method, s.Metric)]:0.0000} ({Describe(negative)}); farthest positive {positive.Distances[(s.Method, s.Metric)]:0.0000} ({Describe(positive)})");
        }

        return text.ToString();
    }

    /// <summary>Thresholds printed in the sweep: Euclidean 0.20–0.90, cosine distance 0.00–0.30.</summary>
    public static IEnumerable<float> Sweep(Metric metric) => metric == Metric.Euclidean
        ? Enumerable.Range(4, 15).Select(i => i * 0.05f)
        : Enumerable.Range(0, 16).Select(i => i * 0.02f);

    public static float Euclidean(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return (float)Math.Sqrt(sum);
    }

    private static float OneFrame(Result result, Separation s) =>
        result.Pairs.Where(p => !p.SamePerson && p.SameFrame).Select(p => p.Distances[(s.Method, s.Metric)]).DefaultIfEmpty(float.NaN).Min();

    private static string Describe(Pair pair) => $"{pair.A.Person} {pair.A.View} vs {pair.B.Person} {pair.B.View}";

    private static float Median(float[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Both people side by side in one frame; the two largest faces, one on each side, or null when that is not what was found.</summary>
    private static Face[]? Composite(
        LoadedFaceDetector detector, LoadedFaceRecogniser recogniser, IReadOnlyList<ChipMethod> methods,
        (string Person, RgbaImage Image) left, (string Person, RgbaImage Image) right, string name, int frame)
    {
        var image = PhotoViews.SideBySide(left.Image, right.Image);
        var found = detector.Detect(image.Pixels, image.Width, image.Height).Take(2).ToList();
        var onLeft = found.Where(f => f.Box.Centre.X < left.Image.Width).ToList();
        var onRight = found.Where(f => f.Box.Centre.X >= left.Image.Width).ToList();
        if (onLeft.Count != 1 || onRight.Count != 1)
        {
            return null;
        }

        return
        [
            Describe(recogniser, methods, left.Person, $"composite {name}", frame, image, onLeft[0]),
            Describe(recogniser, methods, right.Person, $"composite {name}", frame, image, onRight[0]),
        ];
    }

    private static Face Describe(LoadedFaceRecogniser recogniser, IReadOnlyList<ChipMethod> methods, string person, string view, int frame, RgbaImage image, DetectedFace face)
    {
        var landmarks = face.Landmarks ?? throw new InvalidOperationException("The detector gave a face without landmarks.");
        var chips = new float[methods.Count * LoadedFaceRecogniser.ChipLength];
        for (var m = 0; m < methods.Count; m++)
        {
            var chip = methods[m] == ChipMethod.Aligned
                ? FaceAlignment.Chip(image.Pixels, image.Width, image.Height, landmarks)
                : FaceAlignment.AxisAlignedCrop(image.Pixels, image.Width, image.Height, landmarks);
            chip.CopyTo(chips, m * LoadedFaceRecogniser.ChipLength);
        }

        var flat = recogniser.Describe(chips, methods.Count);
        var descriptors = new Dictionary<ChipMethod, float[]>();
        for (var m = 0; m < methods.Count; m++)
        {
            descriptors[methods[m]] = flat.AsSpan(m * FaceRecogniser.DescriptorLength, FaceRecogniser.DescriptorLength).ToArray();
        }

        return new Face(person, view, frame, descriptors);
    }
}
