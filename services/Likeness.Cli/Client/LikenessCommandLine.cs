using System.CommandLine;
using System.CommandLine.Parsing;

namespace Likeness.Cli.Client;

/// <summary>
/// The <c>likeness</c> root command: the subcommands, the options every client command takes, and exit code 2 with
/// the command's help on stderr when the command line is not understood.
/// </summary>
internal static class LikenessCommandLine
{
    private const string Description = """
        likeness: a client of the Likeness identity encoder and video generator.
        From a checkout: dotnet run -c Release --project services/Likeness.Cli -- <command> [options]

        Exit codes: 0 done; 1 server or job failed; 2 command line not understood; 3 input rejected (INVALID_ARGUMENT,
        FAILED_PRECONDITION, a file that cannot be read); 4 NOT_FOUND; 5 try again later (UNAVAILABLE, RESOURCE_EXHAUSTED,
        DEADLINE_EXCEEDED); 6 job cancelled by someone else; 7 not allowed (UNAUTHENTICATED, PERMISSION_DENIED);
        130 interrupted (Ctrl-C).

        Training, evaluation and cast photos are another tool: dotnet run -c Release --project services/Likeness.Trainer -- --help
        """;

    public static async Task<int> RunAsync(string[] args, params Command[] commands)
    {
        var root = new RootCommand(Description);
        foreach (var option in ClientCommand.Options)
        {
            root.Options.Add(option);
        }

        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            return Usage(parse, parse.Errors.Select(e => e.Message));
        }

        // Ctrl-C is each command's to handle (a generation is cancelled on the server first), not a forced exit.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>The problems, then the help of the command they concern, on stderr.</summary>
    /// <returns>Exit code 2.</returns>
    public static int Usage(ParseResult parse, IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            Console.Error.WriteLine(problem);
        }

        var path = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            path.Insert(0, result.Command.Name);
        }

        parse.RootCommandResult.Command.Parse([.. path, "--help"]).Invoke(new InvocationConfiguration { Output = Console.Error });
        return ExitCodes.Usage;
    }
}
