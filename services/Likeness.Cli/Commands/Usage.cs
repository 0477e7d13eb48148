namespace Likeness.Cli.Commands;

internal static class Usage
{
    public const string Text = """
        Usage: dotnet run -c Release --project services/Likeness.Cli -- <command> [options]

        Commands:
          train-backbone   Train the face backbone f on the procedural cast and report held-out identification.
                           --steps N (1500)  --cast N (1000 ids; every tenth held out)  --batch N (32)
                           --seed N (1)  --out DIR (models/face-backbone)
        """;

    /// <returns>Exit code 2: the command line was not understood.</returns>
    public static int Print(string? problem = null)
    {
        if (problem is not null)
        {
            Console.Error.WriteLine(problem);
        }

        Console.Error.WriteLine(Text);
        return 2;
    }
}
