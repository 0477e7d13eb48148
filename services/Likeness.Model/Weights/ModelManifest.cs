using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Likeness.Model.Weights;

/// <summary>The JSON file shipped beside a model's <c>.safetensors</c>: who the model is and how to build it.</summary>
public sealed record ModelManifest
{
    /// <summary>Identifier every output of the model is tagged with.</summary>
    [JsonPropertyName("model_id")]
    public required string ModelId { get; init; }

    /// <summary>False for a seeded initialisation saved for tests or as a starting point.</summary>
    [JsonPropertyName("trained")]
    public bool Trained { get; init; }

    /// <summary>Architecture; its schema belongs to the model family.</summary>
    [JsonPropertyName("config")]
    public required JsonElement Config { get; init; }

    /// <summary>Weights file name, relative to the manifest.</summary>
    [JsonPropertyName("weights")]
    public required string Weights { get; init; }

    /// <summary>Lowercase hex SHA-256 of the weights file.</summary>
    [JsonPropertyName("sha256")]
    public required string Sha256 { get; init; }

    private static readonly JsonSerializerOptions SerializerOptions = new() { WriteIndented = true };

    /// <summary>Reads a manifest and checks that its weights file exists and matches its checksum.</summary>
    /// <returns>The manifest and the full path of the verified weights.</returns>
    public static (ModelManifest Manifest, string WeightsPath) ReadVerified(string manifestPath)
    {
        var manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(manifestPath))
            ?? throw new InvalidDataException($"{manifestPath} is empty.");
        var weightsPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifestPath))!, manifest.Weights);
        if (!File.Exists(weightsPath))
        {
            throw new FileNotFoundException($"Weights named by {manifestPath} are missing.", weightsPath);
        }

        var actual = HashFile(weightsPath);
        if (!string.Equals(actual, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException(
                $"{weightsPath} has sha256 {actual}, but {manifestPath} expects {manifest.Sha256}.");
        }

        return (manifest, weightsPath);
    }

    /// <summary>Writes the manifest for a weights file that already exists, computing its checksum.</summary>
    public static ModelManifest Write(string manifestPath, string modelId, bool trained, object config, string weightsFileName)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var manifest = new ModelManifest
        {
            ModelId = modelId,
            Trained = trained,
            Config = JsonSerializer.SerializeToElement(config),
            Weights = weightsFileName,
            Sha256 = HashFile(Path.Combine(directory, weightsFileName)),
        };
        File.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, SerializerOptions));
        return manifest;
    }

    /// <summary>The architecture as the family's config type.</summary>
    public T ReadConfig<T>() => Config.Deserialize<T>() ?? throw new InvalidDataException($"Manifest of {ModelId} has no config.");

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
