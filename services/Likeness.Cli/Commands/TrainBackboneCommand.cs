using System.Globalization;
using Likeness.Model.Weights;
using Likeness.Training.Backbone;
using Likeness.Training.Cast;

namespace Likeness.Cli.Commands;

/// <summary><c>likeness train-backbone</c>: trains a face recogniser, evaluates it on held-out characters and writes safetensors + manifest.</summary>
internal static class TrainBackboneCommand
{
    public static Func<int> Bind(CommandLine options)
    {
        var defaults = new BackboneTrainingSettings();
        var settings = defaults with
        {
            Steps = options.Number("--steps", defaults.Steps, minimum: 1),
            CastSize = options.Number("--cast", defaults.CastSize, minimum: 20),
            BatchSize = options.Number("--batch", defaults.BatchSize, minimum: 2),
            Seed = options.Number("--seed", (int)defaults.Seed),
            InputSize = options.Number("--input", defaults.InputSize, minimum: 16),
            Widths = options.Numbers("--widths", defaults.Widths),
        };
        var output = options.Text("--out", "out/face-backbone");
        var name = options.Text("--name", "face-backbone");
        return () => Run(settings, output, name);
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
