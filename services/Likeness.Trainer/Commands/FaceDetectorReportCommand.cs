using System.CommandLine;
using Likeness.Model.Faces;
using Likeness.Training.Faces;

namespace Likeness.Trainer.Commands;

/// <summary>
/// <c>likeness-train face-detector-report</c>: prints a detector's detection rate on transformed views of real photos,
/// the smallest face it finds on a 2000 px canvas, and its time per detection; then the cast family's finder's rate on
/// cast reference renders.
/// </summary>
internal static class FaceDetectorReportCommand
{
    public static Command Create()
    {
        var detector = TrainerOptions.Text("--detector", "models/face-detector.manifest.json", "The detector's manifest.");
        var photos = TrainerOptions.Text("--photos", "tests/photos/debian", "A folder of photos with one face each (tests/photos/fetch.sh fills the default).");
        var command = new Command("face-detector-report", "Measure the face finders: BlazeFace on photos (detection rate, smallest face, time) and the cast finder on cast renders.")
        {
            detector, photos,
        };
        command.SetAction(parse =>
        {
            using var loaded = LoadedFaceDetector.Load(parse.GetValue(detector)!);
            var paths = Directory.GetFiles(parse.GetValue(photos)!).Where(p => p.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)).Order().ToList();
            FaceDetectorReport.Run(loaded, paths, Console.Out);
            CastFinderReport.Run(castSeed: 7, characters: 200, photosEach: 2, Console.Out);
            return 0;
        });
        return command;
    }
}
