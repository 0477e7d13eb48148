using System.Diagnostics;
using Likeness.Model.Runtime;
using Likeness.Model.Weights;
using Likeness.Training.Cast;
using Likeness.Training.Data;
using static TorchSharp.torch;

namespace Likeness.Training.Traits;

/// <summary>Settings of one trait-classifier run.</summary>
public sealed record TraitTrainingSettings
{
    public int CastSeed { get; init; } = 7;

    public int CastSize { get; init; } = 2000;

    public int Steps { get; init; } = 1500;

    public int BatchSize { get; init; } = 64;

    public double LearningRate { get; init; } = 2e-3;

    public long Seed { get; init; } = 3;

    public TraitClassifierConfig Classifier { get; init; } = new();
}

/// <summary>Trains the trait classifier on face crops of training characters (the crops f learns from) and measures it on held-out ones.</summary>
public static class TraitTraining
{
    /// <exception cref="InvalidOperationException">The loss stopped being finite.</exception>
    public static TraitClassifier Train(TraitTrainingSettings settings, Action<LossProgress> report)
    {
        TorchRuntime.EnsureLoaded();
        var cast = new ProceduralCast(settings.CastSeed);
        var ids = cast.Training(settings.CastSize).Select(c => c.Id).ToArray();
        var samples = new FaceSamples(cast, settings.Classifier.InputSize);
        var model = ModelWeights.Seeded(settings.Seed, () => new TraitClassifier(settings.Classifier));
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: settings.LearningRate, weight_decay: 1e-4);
        var random = new Random((int)settings.Seed);
        var size = settings.Classifier.InputSize;
        var started = Stopwatch.GetTimestamp();
        for (var step = 1; step <= settings.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var who = Enumerable.Range(0, settings.BatchSize).Select(_ => cast.Character(ids[random.Next(ids.Length)])).ToList();
            var crops = tensor(who.SelectMany(w => samples.Sample(w.Id, random)).ToArray(), [settings.BatchSize, 3, size, size]);
            var logits = model.call(crops);
            var loss = zeros(1);
            for (var t = 0; t < CastTrait.All.Count; t++)
            {
                var trait = CastTrait.All[t];
                var target = tensor(who.Select(w => (long)trait.ClassOf(w)).ToArray());
                var applies = tensor(who.Select(w => trait.Applies(w) ? 1f : 0f).ToArray());
                var perSample = nn.functional.cross_entropy(logits[t], target, reduction: nn.Reduction.None);
                loss += (perSample * applies).sum() / applies.sum().clamp_min(1);
            }

            OptimiserStep.Take(optimizer, loss, step, settings.Steps, settings.LearningRate, started, report);
        }

        model.eval();
        return model;
    }

    /// <summary>Accuracy per trait on crops of held-out characters in random poses and render sizes.</summary>
    public static double[] Measure(TraitClassifier model, ProceduralCast cast, IReadOnlyList<int> heldOut, int cropsPerCharacter = 5, int seed = 99)
    {
        var samples = new FaceSamples(cast, model.Config.InputSize);
        var random = new Random(seed);
        var who = heldOut.SelectMany(id => Enumerable.Repeat(cast.Character(id), cropsPerCharacter)).ToList();
        var predictions = model.Predict(who.Select(w => samples.Sample(w.Id, random)).ToList());
        return Score(who, predictions);
    }

    /// <summary>Share of applicable samples whose predicted class is the character's, per trait.</summary>
    public static double[] Score(IReadOnlyList<CharacterTraits> who, int[][] predictions) =>
        CastTrait.All.Select((trait, t) =>
        {
            var scored = Enumerable.Range(0, who.Count).Where(i => trait.Applies(who[i])).ToList();
            return scored.Count == 0 ? double.NaN : scored.Count(i => predictions[i][t] == trait.ClassOf(who[i])) / (double)scored.Count;
        }).ToArray();
}
