using Likeness.Training.Faces;

namespace Likeness.Training.Tests.Faces;

public sealed class CastFinderReportTests
{
    /// <summary>The cast family declares the cast-subject finder; it must find the face in its own kind of image.</summary>
    [Fact]
    public void CastSubjectFinder_FindsTheFaceInAtLeast95PercentOfCleanCastReferences()
    {
        var output = new StringWriter();

        var rates = CastFinderReport.Run(castSeed: 7, characters: 60, photosEach: 2, output);

        Assert.True(rates[Training.Evaluation.ReferenceQuality.Clean] >= 0.95, output.ToString());
    }
}
