using System.Globalization;
using Likeness.Model.Weights;
using Likeness.Training.Backbone;
using Likeness.Training.Cast;

namespace Likeness.Cli.Commands;

/// <summary><c>likeness train-backbone</c>: trains f, evaluates it on held-out characters and writes safetensors + manifest.</summary>
internal static class TrainBackboneCommand
{
    public static int Run(string[] args)
    {
        var settings = new BackboneTrainingSettings();
        var output = "models/face-backbone";
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var number) && args[i] != "--out")
            {
                return Usage.Print($"'{args[i]}' needs a value.");
            }

            switch (args[i])
            {
                case "--steps" when number > 0: settings = settings with { Steps = number }; break;
                case "--cast" when number >= 20: settings = settings with { CastSize = number }; break;
                case "--batch" when number > 1: settings = settings with { BatchSize = number }; break;
                case "--seed": settings = settings with { Seed = number }; break;
                case "--out": output = args[i + 1]; break;
                default: return Usage.Print($"'{args[i]} {args[i + 1]}' is not understood.");
            }
        }

        Console.WriteLine($"Training the face backbone: {settings.Steps} steps of {settings.BatchSize} crops, cast seed {settings.CastSeed}, " +
            $"{settings.CastSize - (settings.CastSize / ProceduralCast.HeldOutEvery)} training identities, on {Environment.ProcessorCount} cores");
        using var backbone = BackboneTraining.Train(settings, p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  step {p.Step,5}  loss {p.Loss,7:0.000}  batch accuracy {p.Accuracy,5:0.00}  {p.Elapsed.TotalMinutes,6:0.0} min")));

        var cast = new ProceduralCast(settings.CastSeed);
        var heldOut = cast.HeldOut(settings.CastSize).Select(c => c.Id).ToList();
        var (accuracy, chance) = BackboneEvaluation.Identify(backbone, cast, heldOut);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Held-out identification: {accuracy:0.000} top-1 over {heldOut.Count} unseen characters (chance {chance:0.000})"));

        var modelId = $"likeness-face-backbone-v1-cast{settings.CastSeed}-s{settings.Seed}-n{settings.Steps}";
        var manifest = ModelWeights.Save(backbone, output, "face-backbone", modelId, trained: true,
            new { input_size = settings.InputSize, backbone_widths = settings.Widths, held_out_top1 = accuracy, steps = settings.Steps });
        Console.WriteLine($"Wrote {manifest}");
        return 0;
    }
}
