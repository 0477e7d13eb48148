using System.Diagnostics;
using System.Globalization;
using Likeness.Model.Faces;
using Likeness.Testing;
using Xunit.Abstractions;

namespace Likeness.Model.Tests.Faces;

/// <summary>
/// How well descriptors of the test photos separate people: distances between each photo and its own transformed views
/// (flip, shift, scale 0.7 and 1.3, JPEG quality 50, darker) against distances between the three people, for the aligned
/// chip and for face-api's axis-aligned crop. Landmarks are read off the photos by eye (see <see cref="FacePhotos"/>).
/// Prints every figure and the time per face.
/// </summary>
public sealed class FaceSeparationTests(ITestOutputHelper output)
{
    [Fact]
    public void Describe_AlignedChips_SamePersonViewsCloserThanOtherPeople()
    {
        using var recogniser = LoadedFaceRecogniser.Load(Repository.PathOf("models/face-recogniser.manifest.json"));
        var people = FacePhotos.All();
        var views = people.Select(p => (IReadOnlyList<FacePhoto>)[p, .. FacePhotos.Views(p)]).ToList();

        var aligned = Measure(recogniser, views, p => p.Chip(), "aligned chip");
        var crude = Measure(recogniser, views, p => p.AxisAlignedCrop(), "face-api crop");

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"margin (min different − max same): aligned {aligned.Margin:0.000}, face-api crop {crude.Margin:0.000}"));
        Assert.True(aligned.Margin > 0, "With aligned chips, every same-person view is closer than any other person.");
    }

    private sealed record Separation(double MaxSame, double MinDifferent)
    {
        public double Margin => MinDifferent - MaxSame;
    }

    private Separation Measure(LoadedFaceRecogniser recogniser, List<IReadOnlyList<FacePhoto>> views, Func<FacePhoto, float[]> cut, string method)
    {
        var chips = views.SelectMany(v => v).Select(cut).ToList();
        var stopwatch = Stopwatch.StartNew();
        var descriptors = recogniser.Describe(chips.SelectMany(c => c).ToArray(), chips.Count);
        stopwatch.Stop();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== {method}: {chips.Count} faces in {stopwatch.Elapsed.TotalSeconds:0.00} s, {stopwatch.Elapsed.TotalMilliseconds / chips.Count:0} ms per face ({Environment.ProcessorCount} cores)"));
        float[] Descriptor(int person, int view) => descriptors.AsSpan(((person * views[0].Count) + view) * 128, 128).ToArray();

        var maxSame = 0.0;
        for (var person = 0; person < views.Count; person++)
        {
            for (var view = 1; view < views[person].Count; view++)
            {
                var (distance, cosine) = Distances(Descriptor(person, 0), Descriptor(person, view));
                maxSame = Math.Max(maxSame, distance);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  same  {views[person][view].Name,-24} distance {distance:0.000}  cosine {cosine:0.000}"));
            }
        }

        var minDifferent = double.MaxValue;
        for (var a = 0; a < views.Count; a++)
        {
            for (var b = a + 1; b < views.Count; b++)
            {
                var (distance, cosine) = Distances(Descriptor(a, 0), Descriptor(b, 0));
                minDifferent = Math.Min(minDifferent, distance);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  other {views[a][0].Name} vs {views[b][0].Name,-12} distance {distance:0.000}  cosine {cosine:0.000}"));
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  max same-person distance {maxSame:0.000}; min different-person distance {minDifferent:0.000}"));
        return new Separation(maxSame, minDifferent);
    }

    private static (double Distance, double Cosine) Distances(float[] a, float[] b)
    {
        double dot = 0, aa = 0, bb = 0, squared = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
            squared += Math.Pow(a[i] - b[i], 2);
        }

        return (Math.Sqrt(squared), dot / Math.Sqrt(aa * bb));
    }
}
