using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Likeness.Contracts.Generation.V1;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Likeness.Cli.Client;

/// <summary>
/// A shot list for <c>likeness generate --shots FILE</c>: a <c>GenerateRequest</c> in the proto3 JSON mapping holding
/// <c>shots</c> (and, optionally, <c>characters</c> with their strengths), written as JSON or, in a <c>.yaml</c> or
/// <c>.yml</c> file, as YAML (YamlDotNet). Google.Protobuf's parser reads it, so every field of <c>Shot</c> is
/// accepted as the contract names it, and an unknown one is an error.
/// </summary>
internal static class ShotListFile
{
    /// <exception cref="FormatException">The file is missing, not JSON or YAML, not the mapping of a GenerateRequest, or has no shots.</exception>
    public static GenerateRequest Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"--shots: {e.Message}");
        }

        GenerateRequest request;
        try
        {
            var yaml = Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml";
            request = JsonParser.Default.Parse<GenerateRequest>(yaml ? YamlAsJson(text) : text);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or YamlException or FormatException)
        {
            throw new FormatException($"--shots {path}: {e.Message}");
        }

        return request.Shots.Count > 0 ? request : throw new FormatException($"--shots {path} has no shots: give a list under \"shots\".");
    }

    /// <summary>The YAML document as JSON text: plain scalars that read as numbers, booleans or null become those; quoted ones stay strings.</summary>
    private static string YamlAsJson(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? "{}" : ToJson(stream.Documents[0].RootNode)?.ToJsonString() ?? "{}";
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => Plain(scalar.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new FormatException($"unsupported YAML node at {node.Start}."),
    };

    private static JsonValue? Plain(string value) => value switch
    {
        "" or "~" or "null" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ => JsonValue.Create(value),
    };
}
