using System.Security.Cryptography;
using System.Text.Json;
using Likeness.Model.Faces;
using Likeness.Model.Runtime;
using Likeness.Model.Weights;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Likeness.Training.Faces;

/// <summary>
/// Converts the face recogniser shipped in the npm package <c>@vladmandic/face-api</c> (dlib's ResNet, public-domain
/// weights) into Likeness's <c>face-recogniser.safetensors</c> and manifest, keeping its uint8 codes as they are.
/// </summary>
/// <remarks>
/// The package stores each model as a TF.js weights manifest (JSON: groups of shard paths and tensor entries with name,
/// shape, dtype and optional <c>quantization</c> {dtype, scale, min}) plus its shards; tensors lie back to back in the
/// concatenated shards in manifest order, uint8 codes one byte each, float32 little-endian. Convolution filters are
/// TF's [kh, kw, in, out] and become [out, in, kh, kw]; the fully connected matrix [256, 128] becomes [128, 256]. Both
/// are permutations, so they commute with the per-tensor affine decoding done at load (see <see cref="FaceRecogniserWeights"/>).
/// </remarks>
public static class FaceApiImport
{
    public const string PackageName = "@vladmandic/face-api";
    public const string Licence = "public domain (weights, Davis King); MIT (face-api code)";
    public const string WeightsManifestFile = "model/face_recognition_model-weights_manifest.json";
    public const string OutputName = "face-recogniser";

    /// <summary>Reads the unpacked package at <paramref name="packageDirectory"/> and writes the model into <paramref name="outputDirectory"/>.</summary>
    /// <returns>The manifest path.</returns>
    /// <exception cref="InvalidDataException">The package is not face-api, or its weights do not fit the network.</exception>
    public static string Run(string packageDirectory, string outputDirectory)
    {
        TorchRuntime.EnsureLoaded();
        var version = ReadPackageVersion(packageDirectory);
        var manifestPath = Path.Combine(packageDirectory, WeightsManifestFile);
        var (entries, shardPaths) = ReadWeightsManifest(manifestPath);
        var shard = shardPaths.SelectMany(p => File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(manifestPath)!, p))).ToArray();

        var config = new FaceRecogniserConfig
        {
            SourcePackage = PackageName,
            SourceVersion = version,
            Licence = Licence,
            SourceWeightsSha256 = Sha256(shard),
            SourceManifestSha256 = Sha256(File.ReadAllBytes(manifestPath)),
        };

        using var scope = NewDisposeScope();
        var stored = Convert(entries, shard);
        CheckAgainstNetwork(stored, config);
        Directory.CreateDirectory(outputDirectory);
        var weightsFile = $"{OutputName}.safetensors";
        Safetensors.SaveStateDict(Path.Combine(outputDirectory, weightsFile), stored);
        var outputManifest = Path.Combine(outputDirectory, $"{OutputName}.manifest.json");
        ModelManifest.Write(outputManifest, $"dlib-resnet-v1-face-api-{version}", trained: true, config, weightsFile);
        return outputManifest;
    }

    /// <summary>One tensor entry of a TF.js weights manifest.</summary>
    internal sealed record WeightEntry(string Name, long[] Shape, string DType, string? QuantisedDType, double Scale, double Min)
    {
        public long Count => Shape.Aggregate(1L, (a, b) => a * b);

        public long ByteLength => Count * (QuantisedDType is null ? sizeof(float) : 1);
    }

    internal static (IReadOnlyList<WeightEntry> Entries, IReadOnlyList<string> ShardPaths) ReadWeightsManifest(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var entries = new List<WeightEntry>();
        var shards = new List<string>();
        foreach (var group in document.RootElement.EnumerateArray())
        {
            shards.AddRange(group.GetProperty("paths").EnumerateArray().Select(p => p.GetString()!));
            foreach (var weight in group.GetProperty("weights").EnumerateArray())
            {
                var name = weight.GetProperty("name").GetString()!;
                var shape = weight.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var dtype = weight.GetProperty("dtype").GetString()!;
                if (dtype != "float32")
                {
                    throw new InvalidDataException($"{name} is {dtype}; only float32 tensors are expected.");
                }

                if (weight.TryGetProperty("quantization", out var q))
                {
                    var qtype = q.GetProperty("dtype").GetString()!;
                    if (qtype != "uint8")
                    {
                        throw new InvalidDataException($"{name} is quantised as {qtype}; only uint8 affine quantisation is supported.");
                    }

                    entries.Add(new WeightEntry(name, shape, dtype, qtype, q.GetProperty("scale").GetDouble(), q.GetProperty("min").GetDouble()));
                }
                else
                {
                    entries.Add(new WeightEntry(name, shape, dtype, null, 0, 0));
                }
            }
        }

        return (entries, shards);
    }

    /// <summary>face-api's name (<c>conv32_1/conv1/conv/filters</c>) as the module's key (<c>conv32_1.conv1.conv.weight</c>).</summary>
    internal static string KeyOf(string name)
    {
        if (name == "fc")
        {
            return "fc.weight";
        }

        var parts = name.Split('/');
        parts[^1] = parts[^1] switch
        {
            "filters" or "weights" => "weight",
            "bias" or "biases" => "bias",
            _ => throw new InvalidDataException($"{name}: unknown parameter {parts[^1]}."),
        };
        return string.Join('.', parts);
    }

    private static Dictionary<string, Tensor> Convert(IReadOnlyList<WeightEntry> entries, byte[] shard)
    {
        var stored = new Dictionary<string, Tensor>();
        long offset = 0;
        foreach (var entry in entries)
        {
            if (offset + entry.ByteLength > shard.Length)
            {
                throw new InvalidDataException($"The shards end inside {entry.Name}.");
            }

            var bytes = shard.AsSpan((int)offset, (int)entry.ByteLength);
            offset += entry.ByteLength;
            var key = KeyOf(entry.Name);
            var raw = entry.QuantisedDType is null
                ? tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray(), entry.Shape)
                : tensor(bytes.ToArray(), entry.Shape);
            stored[key] = ToTorchLayout(raw, entry.Name);
            if (entry.QuantisedDType is not null)
            {
                stored[key + FaceRecogniserWeights.QuantisationSuffix] = tensor(new[] { entry.Scale, entry.Min }, float64);
            }
        }

        if (offset != shard.Length)
        {
            throw new InvalidDataException($"The manifest accounts for {offset} bytes; the shards hold {shard.Length}.");
        }

        return stored;
    }

    private static Tensor ToTorchLayout(Tensor raw, string name) => raw.ndim switch
    {
        4 => raw.permute(3, 2, 0, 1).contiguous(),      // TF [kh, kw, in, out] → [out, in, kh, kw]
        2 => raw.t().contiguous(),                      // [in, out] for x·W → Linear's [out, in]
        1 => raw,
        _ => throw new InvalidDataException($"{name} has rank {raw.ndim}."),
    };

    /// <summary>Decodes the converted tensors and loads them into a fresh network, strictly: every key present, every shape right.</summary>
    private static void CheckAgainstNetwork(Dictionary<string, Tensor> stored, FaceRecogniserConfig config)
    {
        using var network = new FaceRecogniser(config);
        var decoded = FaceRecogniserWeights.Dequantise(stored);
        var (missing, unexpected) = network.load_state_dict(decoded, strict: false);
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new InvalidDataException($"face-api's weights do not fit: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}].");
        }
    }

    private static string ReadPackageVersion(string packageDirectory)
    {
        var path = Path.Combine(packageDirectory, "package.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{packageDirectory} is not an unpacked npm package (no package.json).", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var name = document.RootElement.GetProperty("name").GetString();
        if (name != PackageName)
        {
            throw new InvalidDataException($"{path} is {name}, not {PackageName}.");
        }

        return document.RootElement.GetProperty("version").GetString()!;
    }

    private static string Sha256(byte[] bytes) => System.Convert.ToHexStringLower(SHA256.HashData(bytes));
}
