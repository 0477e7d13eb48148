using System.Globalization;
using Likeness.Identity.Faces;
using Likeness.Identity.Images;
using Likeness.Media;
using Likeness.Training.Cast;
using Likeness.Training.Evaluation;

namespace Likeness.Training.Faces;

/// <summary>
/// Measures the cast family's face finder (<see cref="CastSubjectFinder"/>) on its own kind of image: reference renders
/// of the procedural cast, through the encoder's decoding path. A render counts as found when the largest face box holds
/// the centre of the face the renderer drew.
/// </summary>
public static class CastFinderReport
{
    /// <summary>Detection rate per reference quality, over <paramref name="characters"/> characters × <paramref name="photosEach"/> renders.</summary>
    public static IReadOnlyDictionary<Evaluation.ReferenceQuality, double> Run(int castSeed, int characters, int photosEach, TextWriter output)
    {
        var cast = new ProceduralCast(castSeed);
        var finder = new CastSubjectFinder();
        var decoder = new ReferenceDecoder(new ReferenceImageOptions());
        var rates = new Dictionary<Evaluation.ReferenceQuality, double>();
        foreach (var quality in new[] { Evaluation.ReferenceQuality.Clean, Evaluation.ReferenceQuality.Blurred, Evaluation.ReferenceQuality.Dark })
        {
            var found = 0;
            for (var id = 0; id < characters; id++)
            {
                for (var k = 0; k < photosEach; k++)
                {
                    var photo = ReferencePhotos.Render(cast.Character(id), (id * 31) + k, quality);
                    using var reference = decoder.Check(new ReferenceImage(FrameImages.Png(photo.Rgb, photo.Size, photo.Size)), 0);
                    var box = QualityAnalyzer.Analyze(reference, finder).Subject;
                    var (cx, cy) = (photo.FaceBox.X + (photo.FaceBox.Width / 2), photo.FaceBox.Y + (photo.FaceBox.Height / 2));
                    found += box is { } b && cx >= b.X && cx <= b.X + b.Width && cy >= b.Y && cy <= b.Y + b.Height ? 1 : 0;
                }
            }

            rates[quality] = found / (double)(characters * photosEach);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{finder.Name} on {quality.ToString().ToLowerInvariant()} cast references: {found}/{characters * photosEach} = {rates[quality]:P1}"));
        }

        return rates;
    }
}
