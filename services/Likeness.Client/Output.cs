using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Likeness.Client;

/// <summary>
/// How a client command speaks: sentences for a person on stdout by default; with <c>--json</c>, one JSON document per
/// line on stdout for scripts. Problems always go to stderr as a sentence too.
/// </summary>
public sealed class Output(bool json)
{
    private static readonly JsonFormatter ProtoJson = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private readonly Lazy<IAnsiConsole> console = new(() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }));

    public bool Json => json;

    /// <summary>A line for a person; nothing in JSON mode.</summary>
    public void Say(string text)
    {
        if (!json)
        {
            Console.WriteLine(text);
        }
    }

    /// <summary>A table or other Spectre.Console renderable for a person; nothing in JSON mode.</summary>
    public void Show(IRenderable renderable)
    {
        if (!json)
        {
            console.Value.Write(renderable);
        }
    }

    /// <summary>A JSON document on one line; nothing in human mode.</summary>
    public void Emit(Func<JsonNode> document)
    {
        if (json)
        {
            Console.WriteLine(document().ToJsonString());
        }
    }

    /// <summary>A message in the proto3 JSON mapping, default values included so scripts see every field.</summary>
    public static JsonNode ToJson(IMessage message) => JsonNode.Parse(ProtoJson.Format(message))!;

    /// <returns><paramref name="exitCode"/>.</returns>
    public int Fail(int exitCode, StatusCode status, string message)
    {
        Emit(() => new JsonObject { ["error"] = new JsonObject { ["status"] = StatusName(status), ["message"] = message } });
        Console.Error.WriteLine($"likeness: {message}");
        return exitCode;
    }

    /// <summary>The status as gRPC spells it everywhere: NOT_FOUND, INVALID_ARGUMENT, …</summary>
    public static string StatusName(StatusCode status) => status == StatusCode.OK
        ? "OK"
        : string.Concat(status.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? $"_{c}" : $"{char.ToUpperInvariant(c)}"));
}
