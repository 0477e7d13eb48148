using System.CommandLine;
using Likeness.Model.Faces;
using Likeness.Training.Faces;

namespace Likeness.Trainer.Commands;

/// <summary>
/// <c>likeness-train calibrate-faces</c>: measures how far apart the photo pipeline puts views of one person and faces of
/// different people, for both chip methods and both metrics, picks a same-person threshold for each and writes the
/// table to <c>calibration.md</c>.
/// </summary>
internal static class CalibrateFacesCommand
{
    public static Command Create()
    {
        var detector = TrainerOptions.Text("--detector", "models/face-detector.manifest.json", "The detector's manifest.");
        var recogniser = TrainerOptions.Text("--recogniser", "models/face-recogniser.manifest.json", "The recogniser's manifest.");
        var photos = TrainerOptions.Text("--photos", "tests/photos/debian", "A folder of photos, one person each (tests/photos/fetch.sh fills the default).");
        var output = TrainerOptions.Text("--out", "out/calibration", "Folder for calibration.md.");
        var command = new Command("calibrate-faces", "Calibrate the same-person threshold on transformed views (positives) and different people (negatives).")
        {
            detector, recogniser, photos, output,
        };
        command.SetAction(parse =>
        {
            using var loadedDetector = LoadedFaceDetector.Load(parse.GetValue(detector)!);
            using var loadedRecogniser = LoadedFaceRecogniser.Load(parse.GetValue(recogniser)!);
            var people = Directory.GetFiles(parse.GetValue(photos)!)
                .Where(p => p.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase))
                .Order()
                .Select(p => (Path.GetFileNameWithoutExtension(p), RgbaImage.Decode(File.ReadAllBytes(p))))
                .ToList();
            var result = FaceCalibration.Run(loadedDetector, loadedRecogniser, people, photo => PhotoViews.Varied(photo), composites: true,
                Enum.GetValues<FaceCalibration.ChipMethod>());
            var report = FaceCalibration.Report(result, $"likeness-train calibrate-faces --photos {parse.GetValue(photos)}");
            Console.Write(report);
            Directory.CreateDirectory(parse.GetValue(output)!);
            var path = Path.Combine(parse.GetValue(output)!, "calibration.md");
            File.WriteAllText(path, report);
            Console.WriteLine($"Wrote {path}");
            return 0;
        });
        return command;
    }
}
