using System.CommandLine;

namespace Likeness.Cli.Client;

/// <summary>
/// Where the encoder and the generator listen: <c>--server</c> for both (the embedded host), or <c>--encoder</c> and
/// <c>--generator</c> for separate services. Per service, an option on the command line (its own, then <c>--server</c>) beats
/// the environment (<c>LIKENESS_ENCODER</c> or <c>LIKENESS_GENERATOR</c>, then <c>LIKENESS_SERVER</c>).
/// </summary>
internal sealed record ServiceAddresses(Uri Encoder, Uri Generator)
{
    /// <summary>The embedded host's default address (<c>dotnet run --project services/Likeness.Host -- serve</c>).</summary>
    public const string DefaultServer = "http://127.0.0.1:5000";

    /// <exception cref="FormatException">An address is not an absolute http or https URL.</exception>
    public static ServiceAddresses From(ParseResult parse)
    {
        // An option on the command line beats every environment variable: --server reaches both services even while
        // LIKENESS_ENCODER and LIKENESS_GENERATOR are still exported from another session.
        var server = parse.GetValue(ClientCommand.Server);
        var environmentServer = Environment.GetEnvironmentVariable("LIKENESS_SERVER") ?? DefaultServer;
        var encoder = parse.GetValue(ClientCommand.Encoder) ?? server ?? Environment.GetEnvironmentVariable("LIKENESS_ENCODER") ?? environmentServer;
        var generator = parse.GetValue(ClientCommand.Generator) ?? server ?? Environment.GetEnvironmentVariable("LIKENESS_GENERATOR") ?? environmentServer;
        return new ServiceAddresses(Address("--encoder", encoder), Address("--generator", generator));
    }

    private static Uri Address(string option, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException($"{option} must be an http:// or https:// address, not '{text}'.");
}
