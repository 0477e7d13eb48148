using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Likeness.Model.Faces;
using Likeness.Testing;
using Xunit.Abstractions;

namespace Likeness.Model.Tests.Faces;

/// <summary>
/// Likeness's recogniser against the package it was converted from: the same 150×150 chips go through face-api's own
/// network (TF.js, wasm backend, tests/clients/node/face-descriptors.mjs) and through <see cref="LoadedFaceRecogniser"/>.
/// </summary>
public sealed class FaceRecogniserParityTests(ITestOutputHelper output)
{
    private const double MinimumCosine = 0.9999;
    private const double MaximumDifference = 1e-5;

    [Fact]
    public async Task Describe_ChipsOfThePhotos_MatchFaceApisOwnDescriptors()
    {
        using var folder = new TemporaryFolder("likeness-face-parity-");
        var (files, chips) = WriteChips(folder.Path);
        var expected = await FaceApiDescriptorsAsync(files);

        using var recogniser = LoadedFaceRecogniser.Load(Repository.PathOf("models/face-recogniser.manifest.json"));
        var actual = recogniser.Describe(chips, files.Count);

        for (var i = 0; i < files.Count; i++)
        {
            var (cosine, difference) = Compare(expected[i], actual.AsSpan(i * 128, 128));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(files[i]),-28} cosine {cosine:0.0000000}  max |Δ| {difference:0.0e0}  norm {Norm(expected[i]):0.000}"));
            Assert.True(cosine >= MinimumCosine, $"{files[i]}: cosine {cosine} with face-api's descriptor");
            Assert.True(difference <= MaximumDifference, $"{files[i]}: max abs difference {difference} from face-api's descriptor");
        }
    }

    [Fact]
    public async Task Describe_WithDlibsDivisorInsteadOfFaceApis_FailsTheParityBounds()
    {
        // Guards the guard: a recogniser that normalises as dlib does (÷256, not ÷255) must not pass the bounds above.
        using var folder = new TemporaryFolder("likeness-face-parity-");
        var (files, chips) = WriteChips(folder.Path, count: 2);
        var expected = await FaceApiDescriptorsAsync(files);
        var manifest = CopyWithConfig(folder.Path, config => config["divisor"] = 256f);

        using var recogniser = LoadedFaceRecogniser.Load(manifest);
        var actual = recogniser.Describe(chips, files.Count);

        var (cosine, difference) = Compare(expected[0], actual.AsSpan(0, 128));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"÷256: cosine {cosine:0.0000000}  max |Δ| {difference:0.0e0}"));
        Assert.False(cosine >= MinimumCosine && difference <= MaximumDifference);
    }

    /// <summary>Aligned chips and face-api-style crops of the three photos, plus transformed views, as PNG files.</summary>
    private static (List<string> Files, float[] Chips) WriteChips(string folder, int count = int.MaxValue)
    {
        var astronaut = FacePhotos.Astronaut();
        var hopper = FacePhotos.GraceHopper();
        var photos = FacePhotos.All()
            .Concat([FacePhotos.Flipped(astronaut), FacePhotos.Transformed(hopper, "scale0.7", 0.7f, 40, 30), FacePhotos.Darker(astronaut, 0.6f)])
            .ToList();
        var chips = photos.Select(p => (Name: $"{p.Name}-aligned", Chip: p.Chip()))
            .Concat(photos.Take(3).Select(p => (Name: $"{p.Name}-crop", Chip: p.AxisAlignedCrop())))
            .Take(count)
            .ToList();
        var files = new List<string>();
        var values = new List<float>();
        foreach (var (name, chip) in chips)
        {
            var file = Path.Combine(folder, $"{name}.png");
            File.WriteAllBytes(file, FacePhotos.ChipPng(chip, out var rounded));
            files.Add(file);
            values.AddRange(rounded);
        }

        return (files, values.ToArray());
    }

    private static async Task<List<float[]>> FaceApiDescriptorsAsync(IReadOnlyList<string> files)
    {
        using var node = await ChildProcess.RunAsync("node",
            [Repository.PathOf("tests/clients/node/face-descriptors.mjs"), .. files], TimeSpan.FromMinutes(3));
        Assert.True(node.ExitCode == 0, node.ToString());
        using var document = JsonDocument.Parse(node.Output);
        var descriptors = document.RootElement.GetProperty("descriptors");
        return files.Select(f => descriptors.GetProperty(f).EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
    }

    private static string CopyWithConfig(string folder, Action<JsonObject> change)
    {
        var source = Repository.PathOf("models/face-recogniser.manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(source))!.AsObject();
        change(manifest["config"]!.AsObject());
        File.Copy(Repository.PathOf("models/face-recogniser.safetensors"), Path.Combine(folder, "face-recogniser.safetensors"));
        var path = Path.Combine(folder, "face-recogniser.manifest.json");
        File.WriteAllText(path, manifest.ToJsonString());
        return path;
    }

    private static (double Cosine, double MaxDifference) Compare(float[] expected, ReadOnlySpan<float> actual)
    {
        double dot = 0, difference = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            dot += (double)expected[i] * actual[i];
            difference = Math.Max(difference, Math.Abs(expected[i] - actual[i]));
        }

        return (dot / (Norm(expected) * Norm(actual)), difference);
    }

    private static double Norm(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (var x in v)
        {
            sum += (double)x * x;
        }

        return Math.Sqrt(sum);
    }
}
