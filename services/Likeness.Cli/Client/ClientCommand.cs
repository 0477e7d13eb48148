using System.CommandLine;
using Grpc.Core;
using Likeness.Client;

namespace Likeness.Cli.Client;

/// <summary>What every client command shares: the service addresses, <c>--json</c>, and failures turned into exit codes.</summary>
internal static class ClientCommand
{
    public static readonly Option<string?> Server = new("--server")
    {
        Description = $"Both services at one address (LIKENESS_SERVER; default {ServiceAddresses.DefaultServer}, the embedded host).",
        Recursive = true,
    };

    public static readonly Option<string?> Encoder = new("--encoder") { Description = "The encoder, when separate (LIKENESS_ENCODER).", Recursive = true };

    public static readonly Option<string?> Generator = new("--generator") { Description = "The generator, when separate (LIKENESS_GENERATOR).", Recursive = true };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "The bearer token (an API key or a JWT) sent as 'authorization: Bearer TOKEN' (LIKENESS_TOKEN; default none).",
        HelpName = "TOKEN",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json") { Description = "One JSON document per line on stdout, for scripts.", Recursive = true };

    /// <summary>The options every client command takes, added once to the root command.</summary>
    public static IReadOnlyList<Option> Options => [Server, Encoder, Generator, Token, Json];

    /// <summary>
    /// Makes <paramref name="command"/> run <paramref name="bind"/>, which reads the command's values and returns the work
    /// to do; a malformed value (<see cref="FormatException"/>) exits 2 before any call to a service.
    /// </summary>
    public static Command WithAction(this Command command, Func<ParseResult, Func<LikenessClients, Output, Task<int>>> bind)
    {
        command.SetAction((parse, _) => RunAsync(parse, bind));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Func<ParseResult, Func<LikenessClients, Output, Task<int>>> bind)
    {
        ServiceAddresses addresses;
        Func<LikenessClients, Output, Task<int>> work;
        try
        {
            addresses = ServiceAddresses.From(parse);
            work = bind(parse);
        }
        catch (FormatException e)
        {
            return LikenessCommandLine.Usage(parse, [e.Message]);
        }

        var output = new Output(parse.GetValue(Json));
        var token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable("LIKENESS_TOKEN");
        using var clients = new LikenessClients(addresses, string.IsNullOrWhiteSpace(token) ? null : token.Trim());
        try
        {
            return await work(clients, output);
        }
        catch (RpcException e)
        {
            var detail = e.StatusCode == StatusCode.Unavailable && e.Status.DebugException is not null
                ? $"cannot reach the service ({addresses.Encoder}, {addresses.Generator}): {e.Status.Detail}"
                : e.Status.Detail;
            return output.Fail(ExitCodes.From(e.StatusCode), e.StatusCode, $"{Output.StatusName(e.StatusCode)}: {detail}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return output.Fail(ExitCodes.Rejected, StatusCode.InvalidArgument, e.Message);
        }
    }
}
