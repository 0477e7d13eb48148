using Likeness.Model.Identity;

namespace Likeness.Model.Tests.Identity;

public sealed class ConsistencyMetricsUnitTests
{
    [Fact]
    public void Measure_FramesEqualToTheReference_ScoreOne_AndLoseNothing()
    {
        float[] reference = [3, 4];

        var figures = ConsistencyMetrics.Measure([[6, 8], [0.3f, 0.4f]], reference);

        Assert.Equal(1f, figures.FaceSim, 1e-6f);
        Assert.Equal(0f, figures.Drift, 1e-6f);
        Assert.Equal(0f, figures.IdentityLoss, 1e-6f);
    }

    [Fact]
    public void Measure_LossIsOnUnitEmbeddings_WhateverTheirScale()
    {
        // Frame 1 opposite the reference (||f̂ − r̂||² = 4), frame 2 orthogonal to it (2); the two frames are orthogonal too.
        var figures = ConsistencyMetrics.Measure([[-100, 0], [0, 0.01f]], [1, 0]);

        Assert.Equal([-1f, 0f], figures.Similarity);
        Assert.Equal(-0.5f, figures.FaceSim, 1e-6f);
        Assert.Equal(3f, figures.ReferenceLoss, 1e-5f);
        Assert.Equal(2f, figures.TemporalLoss, 1e-5f);
        Assert.Equal(1f, figures.Drift, 1e-6f);
        Assert.Equal(3f + (0.5f * 2f), figures.IdentityLoss, 1e-5f);
    }

    [Fact]
    public void Measure_OneFrame_HasNoTemporalTerm()
    {
        var figures = ConsistencyMetrics.Measure([[1, 1]], [1, 0]);

        Assert.Equal(0f, figures.TemporalLoss);
        Assert.Equal(0f, figures.Drift);
    }

    [Fact]
    public void MeasurePresent_AMissingFace_BreaksAdjacency_AndIsNotAFrameOfTheCharacter()
    {
        var figures = ConsistencyMetrics.MeasurePresent([[1, 0], null, [0, 1], [0, 1]], [1, 0]);

        Assert.Equal([1f, 0f, 0f], figures.Similarity);
        Assert.Equal(0f, figures.Drift, 1e-6f); // only the last two frames are adjacent, and they are identical
        Assert.Equal(1f / 3, figures.FaceSim, 1e-6f);
    }

    [Fact]
    public void ConsistencyMeasure_FrameByFrame_GivesWhatMeasureGivesAtOnce()
    {
        float[][] frames = [[1, 0.2f], [0.8f, 0.5f], [-0.3f, 1], [0.1f, 0.1f]];
        var measure = new ConsistencyMeasure([1, 0]);
        var perFrame = frames.Select(measure.Add).ToList();

        var once = ConsistencyMetrics.Measure(frames, [1, 0]);
        var byFrame = measure.Result();

        Assert.Equal(once.Similarity, perFrame);
        Assert.Equal((once.FaceSim, once.Drift, once.ReferenceLoss, once.TemporalLoss), (byFrame.FaceSim, byFrame.Drift, byFrame.ReferenceLoss, byFrame.TemporalLoss));
    }
}
