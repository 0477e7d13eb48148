using System.CommandLine;

namespace Likeness.Cli.Client;

/// <summary>
/// Where the encoder and the generator listen: <c>--server</c> for both (the embedded host), or <c>--encoder</c> and
/// <c>--generator</c> for separate services; the <c>LIKENESS_*</c> environment variables when the options are absent.
/// </summary>
internal sealed record ServiceAddresses(Uri Encoder, Uri Generator)
{
    /// <summary>The embedded host's default address (<c>dotnet run --project services/Likeness.Host -- serve</c>).</summary>
    public const string DefaultServer = "http://127.0.0.1:5000";

    /// <exception cref="FormatException">An address is not an absolute http or https URL.</exception>
    public static ServiceAddresses From(ParseResult parse)
    {
        var server = parse.GetValue(ClientCommand.Server) ?? Environment.GetEnvironmentVariable("LIKENESS_SERVER") ?? DefaultServer;
        var encoder = parse.GetValue(ClientCommand.Encoder) ?? Environment.GetEnvironmentVariable("LIKENESS_ENCODER") ?? server;
        var generator = parse.GetValue(ClientCommand.Generator) ?? Environment.GetEnvironmentVariable("LIKENESS_GENERATOR") ?? server;
        return new ServiceAddresses(Address("--encoder", encoder), Address("--generator", generator));
    }

    private static Uri Address(string option, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException($"{option} must be an http:// or https:// address, not '{text}'.");
}
