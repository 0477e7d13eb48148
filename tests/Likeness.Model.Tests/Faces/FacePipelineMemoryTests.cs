using Likeness.Model.Faces;
using Likeness.Testing;
using TorchSharp;

namespace Likeness.Model.Tests.Faces;

/// <summary>Detection and description many times over: nothing native outlives a call.</summary>
[Collection(ResidentMemoryCollection.Name)]
public sealed class FacePipelineMemoryTests
{
    [Fact]
    public void DetectAndDescribe_ManyCalls_LeaveNoLiveTensorsAndFlatNativeMemory()
    {
        using var detector = LoadedFaceDetector.Load(Repository.PathOf("models/face-detector.manifest.json"));
        using var recogniser = LoadedFaceRecogniser.Load(Repository.PathOf("models/face-recogniser.manifest.json"));
        var photo = FacePhotos.Astronaut();
        void Once()
        {
            var face = detector.Detect(photo.Rgba, photo.Width, photo.Height)[0];
            recogniser.Describe(FaceAlignment.Chip(photo.Rgba, photo.Width, photo.Height, face.Landmarks!), 1);
        }

        for (var i = 0; i < 10; i++)
        {
            Once();
        }

        var liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var rssBefore = ResidentMemory.OfThisProcess();
        for (var i = 0; i < 150; i++)
        {
            Once();
        }

        Assert.Equal(liveBefore, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        var growth = ResidentMemory.OfThisProcess() - rssBefore;
        Assert.True(growth < 48L * 1024 * 1024, $"Resident memory grew by {growth / (1024 * 1024)} MiB over 150 detections and descriptions.");
    }
}
