using System.Runtime.CompilerServices;
using Likeness.Model.Runtime;
using Likeness.Training.Backbone;
using Likeness.Training.Cast;

namespace Likeness.Training.Tests.Backbone;

public sealed class BackboneTrainingUnitTests
{
    private static readonly BackboneTrainingSettings Tiny = new()
    {
        CastSize = 20, Steps = 75, BatchSize = 16, Widths = [16, 32, 64, 128], InputSize = 48, LearningRate = 2e-3,
    };

    [Fact]
    public void Train_TinyCast_LowersTheLossAndBeatsChanceOnUnseenPoses()
    {
        var progress = new List<TrainingProgress>();

        using var backbone = BackboneTraining.Train(Tiny, progress.Add);

        Assert.Equal([1, 25, 50, 75], progress.Select(p => p.Step));
        Assert.True(progress[^1].Loss < progress[0].Loss - 0.5, $"loss {progress[0].Loss:0.00} → {progress[^1].Loss:0.00}");
        var cast = new ProceduralCast(Tiny.CastSeed);
        var (accuracy, chance) = BackboneEvaluation.Identify(backbone, cast, cast.Training(Tiny.CastSize).Select(c => c.Id).ToList());
        Assert.True(accuracy > 2 * chance, $"identification {accuracy:0.00} against chance {chance:0.00}");
    }

    [Fact]
    public void Train_SameSettings_GiveTheSameLosses()
    {
        var settings = Tiny with { Steps = 2 };
        var first = new List<TrainingProgress>();
        var second = new List<TrainingProgress>();

        BackboneTraining.Train(settings, first.Add).Dispose();
        BackboneTraining.Train(settings, second.Add).Dispose();

        Assert.Equal(first.Select(p => p.Loss), second.Select(p => p.Loss));
    }

    [ModuleInitializer]
    internal static void LoadTorch() => TorchRuntime.EnsureLoaded();
}
