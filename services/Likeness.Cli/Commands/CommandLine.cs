using System.Globalization;

namespace Likeness.Cli.Commands;

/// <summary><c>--name value</c> options of one command; every option read is checked off, so unknown ones are reported.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    private CommandLine()
    {
    }

    /// <returns>The options, or a problem to print with the usage.</returns>
    public static (CommandLine? Options, string? Problem) Parse(string[] args)
    {
        var options = new CommandLine();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return (null, $"'{args[i]}' is not an option.");
            }

            if (i + 1 >= args.Length)
            {
                return (null, $"'{args[i]}' needs a value.");
            }

            options.values[args[i]] = args[i + 1];
        }

        return (options, null);
    }

    /// <summary>
    /// Reads the options through <paramref name="bind"/>, which returns the work to do; the work runs only when every
    /// option was understood. Exit code 2 when one was not.
    /// </summary>
    public static int Run(string[] args, Func<CommandLine, Func<int>> bind)
    {
        var (options, problem) = Parse(args);
        if (options is null)
        {
            return Usage.Print(problem);
        }

        try
        {
            var work = bind(options);
            var unknown = options.Unknown.ToList();
            return unknown.Count > 0 ? Usage.Print($"Not understood: {string.Join(", ", unknown)}.") : work();
        }
        catch (FormatException e)
        {
            return Usage.Print(e.Message);
        }
    }

    public string Text(string name, string fallback)
    {
        read.Add(name);
        return values.GetValueOrDefault(name, fallback);
    }

    /// <exception cref="FormatException">The value is not a whole number at least <paramref name="minimum"/>.</exception>
    public int Number(string name, int fallback, int minimum = int.MinValue)
    {
        read.Add(name);
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new FormatException($"{name} must be a whole number of at least {minimum}, not '{text}'.");
    }

    /// <exception cref="FormatException">A value is not a positive whole number.</exception>
    public IReadOnlyList<int> Numbers(string name, IReadOnlyList<int> fallback)
    {
        read.Add(name);
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return text.Split(',').Select(part => int.TryParse(part, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"{name} must be positive whole numbers separated by commas, not '{text}'.")).ToList();
    }

    /// <summary>Options given but never read by the command.</summary>
    public IEnumerable<string> Unknown => values.Keys.Where(name => !read.Contains(name));
}
