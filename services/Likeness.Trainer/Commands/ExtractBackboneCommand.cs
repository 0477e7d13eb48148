using System.CommandLine;
using System.Globalization;
using Likeness.Model.Identity;
using Likeness.Model.Weights;
using Likeness.Training.Backbone;
using Likeness.Training.Cast;

namespace Likeness.Trainer.Commands;

/// <summary>
/// <c>likeness-train extract-backbone</c>: writes the face backbone f of a trained identity model as a backbone of its own
/// (safetensors + manifest), re-measuring its held-out identification, so a new video run can train on the shipped f
/// without training it again.
/// </summary>
internal static class ExtractBackboneCommand
{
    public static Command Create()
    {
        var identity = TrainerOptions.Text("--identity", "models/identity.manifest.json", "The identity model whose backbone to extract.");
        var output = TrainerOptions.Text("--out", "out/training/face-backbone", "Output folder.");
        var castSeed = TrainerOptions.Number("--cast-seed", 7, "Seed of the cast the identification is measured on.");
        var cast = TrainerOptions.Number("--cast", 2000, "Cast ids 0..N-1; the held-out tenth is measured.", minimum: 20);
        var command = new Command("extract-backbone", "Write a trained identity model's face backbone f as a backbone manifest.")
        {
            identity, output, castSeed, cast,
        };
        command.SetAction(parse => Run(parse.GetValue(identity)!, parse.GetValue(output)!, new ProceduralCast(parse.GetValue(castSeed)), parse.GetValue(cast)));
        return command;
    }

    private static int Run(string identityManifest, string output, ProceduralCast cast, int castSize)
    {
        var (model, manifest) = ModelWeights.Load<IdentityModel, IdentityModelConfig>(identityManifest, c => new IdentityModel(c));
        using (model)
        {
            model.eval();
            var heldOut = cast.HeldOut(castSize).Select(c => c.Id).ToList();
            var (accuracy, chance) = BackboneEvaluation.Identify(model.Backbone, cast, heldOut);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"The backbone of {manifest.ModelId}: held-out identification {accuracy:0.000} over {heldOut.Count} unseen characters (chance {chance:0.000})"));
            var config = new BackboneConfig { InputSize = model.Config.InputSize, Widths = model.Config.BackboneWidths, HeldOutTop1 = accuracy };
            var path = ModelWeights.Save(model.Backbone, output, "face-backbone", $"{manifest.ModelId}-backbone", trained: true, config);
            Console.WriteLine($"Wrote {path}");
        }

        return 0;
    }
}
