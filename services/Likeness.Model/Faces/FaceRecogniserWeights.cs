using Likeness.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Likeness.Model.Faces;

/// <summary>
/// How the recogniser's safetensors hold face-api's uint8-quantised tensors: each quantised tensor is stored as its
/// uint8 codes q under its own key, with a float64 [scale, min] pair under the key plus <see cref="QuantisationSuffix"/>.
/// </summary>
public static class FaceRecogniserWeights
{
    /// <summary>Suffix of the key holding a quantised tensor's [scale, min].</summary>
    public const string QuantisationSuffix = ".quantisation";

    /// <summary>
    /// Turns a stored state dict into the module's: uint8 tensors become float32 (q · scale + min, computed in float64 and
    /// rounded once, exactly as TF.js's weight decoder does); float32 tensors pass through; quantisation pairs are consumed.
    /// </summary>
    /// <exception cref="InvalidDataException">A uint8 tensor without its pair, a pair without its tensor, or another dtype.</exception>
    /// <returns>New tensors; the caller owns and disposes them.</returns>
    public static Dictionary<string, Tensor> Dequantise(IReadOnlyDictionary<string, Tensor> stored)
    {
        var result = new Dictionary<string, Tensor>();
        foreach (var (key, value) in stored)
        {
            if (key.EndsWith(QuantisationSuffix, StringComparison.Ordinal))
            {
                var owner = key[..^QuantisationSuffix.Length];
                if (!stored.TryGetValue(owner, out var codes) || codes.dtype != ScalarType.Byte)
                {
                    throw new InvalidDataException($"{key} has no uint8 tensor {owner} to describe.");
                }

                continue;
            }

            result[key] = value.dtype switch
            {
                ScalarType.Float32 => value.clone(),
                ScalarType.Byte => Decode(key, value, stored),
                _ => throw new InvalidDataException($"{key} is {value.dtype}; the recogniser stores only uint8 and float32 weights."),
            };
        }

        return result;
    }

    private static Tensor Decode(string key, Tensor codes, IReadOnlyDictionary<string, Tensor> stored)
    {
        if (!stored.TryGetValue(key + QuantisationSuffix, out var pair) || pair.dtype != ScalarType.Float64 || pair.numel() != 2)
        {
            throw new InvalidDataException($"{key} is uint8 but has no float64 [scale, min] under {key}{QuantisationSuffix}.");
        }

        var scale = pair[0].item<double>();
        var min = pair[1].item<double>();
        using var scope = NewDisposeScope();
        // TF.js: values[i] = q * scale + min in JavaScript numbers (float64), stored into a Float32Array (one rounding).
        using var scaleScalar = scale.ToScalar();
        using var minScalar = min.ToScalar();
        var decoded = codes.to_type(float64).mul(scaleScalar).add(minScalar, Scalars.One).to_type(float32);
        return scope.MoveToOuter(decoded);
    }
}
