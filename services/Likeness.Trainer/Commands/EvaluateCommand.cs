using System.CommandLine;
using System.Globalization;
using System.Text;
using Likeness.Model.Generation;
using Likeness.Model.Identity;
using Likeness.Model.Runtime;
using Likeness.Model.Weights;
using Likeness.Training.Backbone;
using Likeness.Training.Evaluation;
using Likeness.Training.Traits;
using TorchSharp;

namespace Likeness.Trainer.Commands;

/// <summary>
/// <c>likeness-train evaluate</c>: the consistency evaluation on held-out characters, printed as the table in
/// docs/evaluation.md and written with contact sheets to the output folder.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var defaults = new EvaluationSettings();
        var characters = TrainerOptions.Number("--characters", defaults.Characters, "Held-out characters to generate for.", minimum: 2);
        var steps = TrainerOptions.Number("--steps", defaults.Steps, "Sampling steps per clip.", minimum: 1);
        var guidance = new Option<float>("--guidance") { Description = "Classifier-free guidance scale.", DefaultValueFactory = _ => defaults.GuidanceScale };
        var models = TrainerOptions.Text("--models", "models", "Folder with identity, video and evaluator manifests.");
        var output = TrainerOptions.Text("--out", "out/evaluation", "Folder for results.md and the contact sheets.");
        var evaluator = TrainerOptions.Text("--evaluator", "", "The evaluator's manifest (default: evaluator.manifest.json in --models).");
        var traits = TrainerOptions.Text("--traits", "", "The trait classifier's manifest (default: traits.manifest.json in --models, when there).");
        var baselines = new Option<bool>("--baselines-only") { Description = "Only the baseline rows: a quick check for ablations." };
        var firstId = TrainerOptions.Number("--first-id", defaults.FirstId, "Evaluate held-out characters from this cast id up (multiples of ten are held out).", minimum: 0);
        var referenceSide = TrainerOptions.Number("--reference-side", defaults.ReferenceSide, "Side of the reference photos the generator is given, in pixels.", minimum: 16);
        var command = new Command("evaluate", "Measure the family on held-out characters with the evaluator; print the table docs/evaluation.md shows.")
        {
            characters, steps, guidance, models, evaluator, traits, output, baselines, firstId, referenceSide,
        };
        command.SetAction(parse => Run(defaults with { Characters = parse.GetValue(characters), Steps = parse.GetValue(steps), GuidanceScale = parse.GetValue(guidance), BaselinesOnly = parse.GetValue(baselines),
                FirstId = parse.GetValue(firstId), ReferenceSide = parse.GetValue(referenceSide) },
            parse.GetValue(models)!, parse.GetValue(evaluator) is { Length: > 0 } given ? given : Path.Combine(parse.GetValue(models)!, "evaluator.manifest.json"),
            parse.GetValue(traits) is { Length: > 0 } traitsGiven ? traitsGiven : Path.Combine(parse.GetValue(models)!, "traits.manifest.json"),
            parse.GetValue(output)!));
        return command;
    }

    private static int Run(EvaluationSettings settings, string models, string evaluatorManifestPath, string traitsManifestPath, string output)
    {
        TorchRuntime.EnsureLoaded();
        Directory.CreateDirectory(output);
        using var identity = LoadedIdentityModel.FromManifest(Path.Combine(models, "identity.manifest.json"), torch.CPU);
        using var video = LoadedVideoModel.FromManifest(Path.Combine(models, "video.manifest.json"), torch.CPU);
        var (evaluator, evaluatorManifest) = BackboneConfig.Load(evaluatorManifestPath);
        using var traits = File.Exists(traitsManifestPath)
            ? ModelWeights.Load<TraitClassifier, TraitClassifierConfig>(traitsManifestPath, c => new TraitClassifier(c)).Module
            : null;
        traits?.eval();
        using (evaluator)
        {
            evaluator.eval();
            Console.WriteLine($"Evaluating {video.ModelId} with {identity.ModelId} on {settings.Characters} held-out characters, " +
                $"{settings.Steps} steps, measured by {evaluatorManifest.ModelId}");
            var report = new ConsistencyEvaluation(settings, identity, video, evaluator, evaluatorManifest.ModelId, traits)
                .Run(output, Console.WriteLine);
            var table = Table(report, settings);
            Console.WriteLine();
            Console.WriteLine(table);
            File.WriteAllText(Path.Combine(output, "results.md"), table);
            Console.WriteLine($"Wrote {Path.Combine(output, "results.md")} and contact sheets to {output}");
        }

        return 0;
    }

    private static string Table(EvaluationReport report, EvaluationSettings settings)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"Video model `{report.VideoModelId}`, identity model `{report.IdentityModelId}`, measured by `{report.EvaluatorId}`; " +
            $"{settings.Characters} held-out characters from id {settings.FirstId}, {settings.ReferenceSide} px references, {settings.Steps} sampling steps, guidance {settings.GuidanceScale:0.#}; " +
            $"identification among {report.Gallery} held-out characters (chance {report.Chance:0.000}); {report.Elapsed.TotalMinutes:0} min on {Environment.ProcessorCount} cores.");
        text.AppendLine();
        text.AppendLine("| | Condition | Clips | FaceSim ↑ | Drift ↓ | Identity loss ↓ | Identification ↑ | Edge energy / renders | Motion / renders |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in report.Rows.GroupBy(r => r.Group))
        {
            var first = true;
            foreach (var row in group)
            {
                text.AppendLine(invariant,
                    $"| {(first ? row.Group : "")} | {row.Condition} | {row.Clips} | {row.FaceSim:0.000} | {row.Drift:0.000} | {row.IdentityLoss:0.000} | {row.Identification:0.00} | {row.EdgeRatio:0.00} | {row.MotionRatio:0.00} |");
                first = false;
            }
        }

        if (report.Traits.Count > 0)
        {
            text.AppendLine();
            text.AppendLine($"| Trait accuracy | {string.Join(" | ", CastTrait.All.Select(t => t.Name))} |");
            text.AppendLine($"|---|{string.Concat(CastTrait.All.Select(_ => "---:|"))}");
            foreach (var row in report.Traits)
            {
                text.AppendLine(invariant, $"| {row.Condition} | {string.Join(" | ", row.Accuracy.Select(a => a.ToString("0.00", invariant)))} |");
            }
        }

        var fd = report.Frechet;
        text.AppendLine();
        text.AppendLine(invariant, $"Fréchet distance in the evaluator's feature space over {fd.Samples} face crops: generated frames {fd.Generated:0.0}, " +
            $"strength 0 {fd.NoIdentity:0.0}, against the floor of renders of other clips of the same characters {fd.Floor:0.0}.");
        var pairs = report.Pairs;
        text.AppendLine();
        text.AppendLine(invariant, $"Two characters per clip ({pairs.Clips} character regions, strength {settings.DefaultStrength:0.##}): " +
            $"FaceSim to their own reference {pairs.FaceSim:0.000}, leakage (similarity to the other character's reference) {pairs.Leakage:0.000}, " +
            $"identification {pairs.Identification:0.00}.");
        return text.ToString();
    }
}
