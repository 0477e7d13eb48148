namespace Likeness.Identity.Families;

/// <summary>The photo family's models. Bound from the <c>PhotoFaces</c> section.</summary>
public sealed class PhotoFaceOptions
{
    /// <summary>BlazeFace's manifest, relative to the application's folder unless rooted. Default <c>models/face-detector.manifest.json</c>.</summary>
    public string DetectorManifestPath { get; set; } = "models/face-detector.manifest.json";

    /// <summary>dlib's ResNet recogniser's manifest. Default <c>models/face-recogniser.manifest.json</c>.</summary>
    public string RecogniserManifestPath { get; set; } = "models/face-recogniser.manifest.json";
}
