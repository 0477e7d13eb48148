using System.CommandLine;
using System.Globalization;
using Likeness.Model.Weights;
using Likeness.Training.Cast;
using Likeness.Training.Traits;

namespace Likeness.Trainer.Commands;

/// <summary>
/// <c>likeness-train train-traits</c>: trains the trait classifier the evaluation reads generated faces with, measures it
/// on held-out characters' renders (the upper bound) and writes safetensors + manifest.
/// </summary>
internal static class TrainTraitsCommand
{
    public static Command Create()
    {
        var defaults = new TraitTrainingSettings();
        var steps = TrainerOptions.Number("--steps", defaults.Steps, "Optimiser steps.", minimum: 1);
        var batch = TrainerOptions.Number("--batch", defaults.BatchSize, "Face crops per step.", minimum: 2);
        var seed = TrainerOptions.Number("--seed", (int)defaults.Seed, "Seed of the initialisation and the data stream.");
        var output = TrainerOptions.Text("--out", "out/training/traits", "Output folder.");
        var command = new Command("train-traits", "Train the trait classifier (face shape, skin, hair, eyes, glasses, hat, scar).") { steps, batch, seed, output };
        command.SetAction(parse => Run(defaults with { Steps = parse.GetValue(steps), BatchSize = parse.GetValue(batch), Seed = parse.GetValue(seed) },
            parse.GetValue(output)!));
        return command;
    }

    private static int Run(TraitTrainingSettings settings, string output)
    {
        Console.WriteLine($"Training the trait classifier: {settings.Steps} steps of {settings.BatchSize} crops at {settings.Classifier.InputSize} px, " +
            $"widths {string.Join(',', settings.Classifier.Widths)}, on {Environment.ProcessorCount} cores");
        using var model = TraitTraining.Train(settings, p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  step {p.Step,5}  loss {p.Loss,7:0.000}  {p.Elapsed.TotalMinutes,6:0.0} min")));
        var cast = new ProceduralCast(settings.CastSeed);
        var accuracy = TraitTraining.Measure(model, cast, cast.HeldOut(settings.CastSize).Select(c => c.Id).ToList());
        foreach (var (trait, value) in CastTrait.All.Zip(accuracy))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  held-out {trait.Name,-12} {value:0.000}"));
        }

        var config = settings.Classifier with { HeldOutAccuracy = accuracy, Steps = settings.Steps };
        var manifest = ModelWeights.Save(model, output, "traits", $"likeness-traits-v1-cast{settings.CastSeed}-s{settings.Seed}-n{settings.Steps}",
            trained: true, config);
        Console.WriteLine($"Wrote {manifest}");
        return 0;
    }
}
