using System.CommandLine;
using System.Globalization;
using Likeness.Model.Weights;
using Likeness.Training.Backbone;
using Likeness.Training.Cast;

namespace Likeness.Trainer.Commands;

/// <summary><c>likeness-train train-backbone</c>: trains a face recogniser, evaluates it on held-out characters and writes safetensors + manifest.</summary>
internal static class TrainBackboneCommand
{
    public static Command Create()
    {
        var defaults = new BackboneTrainingSettings();
        var steps = TrainerOptions.Number("--steps", defaults.Steps, "Optimiser steps.", minimum: 1);
        var cast = TrainerOptions.Number("--cast", defaults.CastSize, "Cast ids 0..N-1 (every tenth is held out).", minimum: 20);
        var batch = TrainerOptions.Number("--batch", defaults.BatchSize, "Face crops per step.", minimum: 2);
        var seed = TrainerOptions.Number("--seed", (int)defaults.Seed, "Seed of the initialisation and the data stream.");
        var input = TrainerOptions.Number("--input", defaults.InputSize, "Crop side in pixels.", minimum: 16);
        var widths = TrainerOptions.Numbers("--widths", defaults.Widths, "Stage widths, such as 32,64,128.");
        var output = TrainerOptions.Text("--out", "out/face-backbone", "Output folder.");
        var name = TrainerOptions.Text("--name", "face-backbone", "File and model name (face-backbone, evaluator).");
        var command = new Command("train-backbone", "Train a face recogniser (CosFace) on the cast and measure it on held-out characters.")
        {
            steps, cast, batch, seed, input, widths, output, name,
        };
        command.SetAction(parse => Run(
            defaults with
            {
                Steps = parse.GetValue(steps), CastSize = parse.GetValue(cast), BatchSize = parse.GetValue(batch), Seed = parse.GetValue(seed),
                InputSize = parse.GetValue(input), Widths = parse.GetValue(widths)!,
            },
            parse.GetValue(output)!, parse.GetValue(name)!));
        return command;
    }

    private static int Run(BackboneTrainingSettings settings, string output, string name)
    {
        Console.WriteLine($"Training {name}: {settings.Steps} steps of {settings.BatchSize} crops at {settings.InputSize} px, widths " +
            $"{string.Join(',', settings.Widths)}, cast seed {settings.CastSeed}, " +
            $"{settings.CastSize - (settings.CastSize / ProceduralCast.HeldOutEvery)} training identities, on {Environment.ProcessorCount} cores");
        using var backbone = BackboneTraining.Train(settings, p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  step {p.Step,5}  loss {p.Loss,7:0.000}  batch accuracy {p.Accuracy,5:0.00}  {p.Elapsed.TotalMinutes,6:0.0} min")));

        var cast = new ProceduralCast(settings.CastSeed);
        var heldOut = cast.HeldOut(settings.CastSize).Select(c => c.Id).ToList();
        var (accuracy, chance) = BackboneEvaluation.Identify(backbone, cast, heldOut);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Held-out identification: {accuracy:0.000} top-1 over {heldOut.Count} unseen characters (chance {chance:0.000})"));

        var modelId = $"likeness-{name}-v1-cast{settings.CastSeed}-s{settings.Seed}-n{settings.Steps}";
        var manifest = ModelWeights.Save(backbone, output, name, modelId, trained: true,
            new BackboneConfig { InputSize = settings.InputSize, Widths = settings.Widths, HeldOutTop1 = accuracy, Steps = settings.Steps });
        Console.WriteLine($"Wrote {manifest}");
        return 0;
    }
}
