using Likeness.Model.Faces;
using Likeness.Testing;

namespace Likeness.Model.Tests.Faces;

public sealed class LoadedFaceRecogniserTests
{
    private static readonly string Manifest = Repository.PathOf("models/face-recogniser.manifest.json");

    [Fact]
    public void Load_ShippedManifest_RecordsItsSourceAndLicence()
    {
        using var recogniser = LoadedFaceRecogniser.Load(Manifest);

        Assert.Equal("dlib-resnet-v1-face-api-1.7.15", recogniser.ModelId);
        Assert.Equal("@vladmandic/face-api", recogniser.Config.SourcePackage);
        Assert.Contains("public domain", recogniser.Config.Licence, StringComparison.Ordinal);
        Assert.Equal(64, recogniser.Config.SourceWeightsSha256.Length);
    }

    [Fact]
    public void Describe_TwoChips_ReturnsOneDescriptorEachInChipOrder()
    {
        using var recogniser = LoadedFaceRecogniser.Load(Manifest);
        var grey = Enumerable.Repeat(128f, LoadedFaceRecogniser.ChipLength);
        var dark = Enumerable.Repeat(20f, LoadedFaceRecogniser.ChipLength);

        var both = recogniser.Describe(grey.Concat(dark).ToArray(), 2);
        var darkAlone = recogniser.Describe(dark.ToArray(), 1);

        Assert.Equal(2 * FaceRecogniser.DescriptorLength, both.Length);
        Assert.Equal(darkAlone, both[FaceRecogniser.DescriptorLength..], new FloatTolerance(1e-5f));
    }

    [Fact]
    public void Describe_WrongLengthOrNonFinite_Throws()
    {
        using var recogniser = LoadedFaceRecogniser.Load(Manifest);
        Assert.Throws<ArgumentException>(() => recogniser.Describe(new float[10], 1));
        Assert.Throws<ArgumentException>(() => recogniser.Describe(new float[LoadedFaceRecogniser.ChipLength], 0));
        var chip = new float[LoadedFaceRecogniser.ChipLength];
        chip[7] = float.NaN;
        Assert.Throws<ArgumentException>(() => recogniser.Describe(chip, 1));
    }

    [Fact]
    public void Load_WeightsChanged_ThrowsBeforeServing()
    {
        using var folder = new TemporaryFolder("likeness-face-recogniser-");
        File.Copy(Manifest, Path.Combine(folder.Path, "face-recogniser.manifest.json"));
        var weights = File.ReadAllBytes(Repository.PathOf("models/face-recogniser.safetensors"));
        weights[^1] ^= 1;
        File.WriteAllBytes(Path.Combine(folder.Path, "face-recogniser.safetensors"), weights);

        Assert.Throws<InvalidDataException>(() => LoadedFaceRecogniser.Load(Path.Combine(folder.Path, "face-recogniser.manifest.json")));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
