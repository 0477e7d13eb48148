using Likeness.Identity.Images;
using Likeness.Model.Generation.Sampling;
using Likeness.Training.Cast;
using static TorchSharp.torch;

namespace Likeness.Training.Tests.Sampling;

/// <summary>
/// The sampler against an oracle: given the true prediction (the noise or velocity that the clean clip and x_t imply) at
/// every step, every objective's sampling must walk pure noise back to exactly that clip. A wrong conversion between
/// x0, ε and v, a wrong step, or a schedule that starts or ends at the wrong level fails here.
/// </summary>
public sealed class SamplerOracleUnitTests
{
    public static TheoryData<DenoisingObjectiveKind, int> ObjectivesAndSteps() => new()
    {
        { DenoisingObjectiveKind.RectifiedFlow, 1 },
        { DenoisingObjectiveKind.RectifiedFlow, 4 },
        { DenoisingObjectiveKind.RectifiedFlow, 20 },
        { DenoisingObjectiveKind.Epsilon, 1 },
        { DenoisingObjectiveKind.Epsilon, 4 },
        { DenoisingObjectiveKind.Epsilon, 20 },
    };

    [Theory]
    [MemberData(nameof(ObjectivesAndSteps))]
    public void Run_OraclePrediction_ReturnsTheCleanCastClipFromPureNoise(DenoisingObjectiveKind kind, int steps)
    {
        using var scope = NewDisposeScope();
        var objective = DenoisingObjective.For(kind, trainTimesteps: 1000, pixelSpace: true);
        var clean = CastClip(frames: 4, side: 32);
        var noise = randn(clean.shape, generator: new TorchSharp.torch.Generator(11));
        var previews = new List<int>();

        var sample = DenoisingLoop.Run(objective, noise, steps, (x, level) => Oracle(objective, clean, x, level),
            step => previews.Add(step.Step), CancellationToken.None);

        Assert.True((sample - clean).abs().max().item<float>() <= 1e-4f, $"max |x − x0| = {(sample - clean).abs().max().item<float>()}");
        Assert.Equal(Enumerable.Range(1, steps), previews);
    }

    [Theory]
    [InlineData(DenoisingObjectiveKind.RectifiedFlow)]
    [InlineData(DenoisingObjectiveKind.Epsilon)]
    public void Run_OraclePrediction_InLatentSpace_ReturnsValuesBeyondThePixelRange(DenoisingObjectiveKind kind)
    {
        using var scope = NewDisposeScope();
        var objective = DenoisingObjective.For(kind, trainTimesteps: 1000, pixelSpace: false);
        var latents = CastClip(frames: 2, side: 16) * 2.5f;     // unit-variance latents reach well past ±1
        var noise = randn(latents.shape, generator: new TorchSharp.torch.Generator(12));

        var sample = DenoisingLoop.Run(objective, noise, 10, (x, level) => Oracle(objective, latents, x, level), _ => { }, CancellationToken.None);

        Assert.True((sample - latents).abs().max().item<float>() <= 1e-4f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(20)]
    [InlineData(50)]
    public void RectifiedFlow_SamplingLevels_StartAtPureNoise_AreEvenlySpaced_EndClean(int steps)
    {
        var objective = new RectifiedFlowObjective();

        var levels = objective.SamplingLevels(steps);

        Assert.Equal(steps + 1, levels.Length);
        Assert.Equal(0, objective.SignalCoefficient(levels[0]));     // zero terminal SNR: x at the first step is ε alone
        Assert.Equal(1, objective.NoiseCoefficient(levels[0]));
        Assert.Equal(1, objective.SignalCoefficient(levels[^1]));    // the last step lands on the clean sample
        Assert.Equal(0, objective.NoiseCoefficient(levels[^1]));
        Assert.All(levels.Zip(levels.Skip(1)), pair => Assert.Equal(1.0 / steps, pair.First - pair.Second, 1e-12));
    }

    [Fact]
    public void Epsilon_SamplingLevels_VisitEveryTimestepRangeOnceFromTheNoisiest()
    {
        var objective = DenoisingObjective.For(DenoisingObjectiveKind.Epsilon, trainTimesteps: 1000, pixelSpace: true);

        var levels = objective.SamplingLevels(20);

        Assert.Equal(999, levels[0]);
        Assert.Equal(-1, levels[^1]);
        Assert.Equal(1, objective.SignalCoefficient(levels[^1]));
        Assert.All(levels.Zip(levels.Skip(1)), pair => Assert.True(pair.First > pair.Second));
    }

    [Theory]
    [InlineData(DenoisingObjectiveKind.RectifiedFlow)]
    [InlineData(DenoisingObjectiveKind.Epsilon)]
    public void TrainingConversions_AddNoise_Target_CleanEstimate_AgreeWithEachOther(DenoisingObjectiveKind kind)
    {
        using var scope = NewDisposeScope();
        var objective = DenoisingObjective.For(kind, trainTimesteps: 1000, pixelSpace: true);
        var generator = new TorchSharp.torch.Generator(5);
        var clean = CastClip(frames: 2, side: 16).unsqueeze(0).expand(6, -1, -1, -1, -1, -1).reshape(6, 2, 3, 16, 16);
        var noise = randn(clean.shape, generator: generator);
        var levels = objective.TrainingLevels(6, generator).view(6, 1, 1, 1, 1);

        var noisy = objective.AddNoise(clean, noise, levels);
        var recovered = objective.CleanEstimate(noisy, objective.Target(clean, noise, levels), levels);

        Assert.True((recovered - clean).abs().max().item<float>() <= 2e-3f);
    }

    /// <summary>The prediction a perfect denoiser makes at x for the clean clip: ε from x = s·x0 + σ·ε, then the objective's target.</summary>
    private static Tensor Oracle(DenoisingObjective objective, Tensor clean, Tensor x, double level)
    {
        var impliedNoise = (x - (objective.SignalCoefficient(level) * clean)) / objective.NoiseCoefficient(level);
        return objective.Target(clean, impliedNoise, full(1, level).view(1, 1, 1, 1, 1));
    }

    /// <summary>[1, frames, 3, side, side] frames of a cast member's clip in -1..1.</summary>
    internal static Tensor CastClip(int frames, int side)
    {
        var cast = new ProceduralCast(7);
        var script = ClipDirector.Direct(3, frames);
        var values = new float[frames * 3 * side * side];
        for (var f = 0; f < frames; f++)
        {
            var frame = CastRenderer.Render(cast.Character(12), script.Background, script.Poses[f], side);
            PixelPlanes.FromInterleaved(frame.Rgb, bytesPerPixel: 3).CopyTo(values, f * 3 * side * side);
        }

        return tensor(values, [1, frames, 3, side, side]);
    }
}
