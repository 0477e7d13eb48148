using System.Globalization;

namespace Likeness.Cli.Commands;

/// <summary>
/// One command's arguments: <c>--name value</c> options (repeatable), <c>--flag</c> switches and positional
/// arguments. Everything read is checked off, so whatever the command never asked for is reported.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> flags = new(StringComparer.Ordinal);
    private readonly List<string> positionals = [];
    private readonly HashSet<string> read = new(StringComparer.Ordinal);
    private bool positionalsRead;

    private CommandLine()
    {
    }

    /// <param name="switches">Options that take no value, such as <c>--json</c>.</param>
    /// <returns>The arguments, or a problem to print with the usage.</returns>
    public static (CommandLine? Options, string? Problem) Parse(string[] args, IReadOnlySet<string>? switches = null)
    {
        var options = new CommandLine();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                options.positionals.Add(arg);
            }
            else if (switches?.Contains(arg) == true)
            {
                options.flags.Add(arg);
            }
            else if (i + 1 >= args.Length)
            {
                return (null, $"'{arg}' needs a value.");
            }
            else
            {
                if (!options.values.TryGetValue(arg, out var list))
                {
                    options.values[arg] = list = [];
                }

                list.Add(args[++i]);
            }
        }

        return (options, null);
    }

    /// <summary>
    /// Reads the arguments through <paramref name="bind"/>, which returns the work to do; the work runs only when every
    /// argument was understood. Exit code 2 when one was not.
    /// </summary>
    public static int Run(string[] args, Func<CommandLine, Func<int>> bind) =>
        RunAsync(args, options =>
        {
            var work = bind(options);
            return () => Task.FromResult(work());
        }).GetAwaiter().GetResult();

    /// <inheritdoc cref="Run"/>
    /// <param name="switches">Options that take no value.</param>
    public static async Task<int> RunAsync(string[] args, Func<CommandLine, Func<Task<int>>> bind, IReadOnlySet<string>? switches = null)
    {
        var (options, problem) = Parse(args, switches);
        if (options is null)
        {
            return Usage.Print(problem);
        }

        try
        {
            var work = bind(options);
            var unknown = options.Unknown.ToList();
            return unknown.Count > 0 ? Usage.Print($"Not understood: {string.Join(", ", unknown)}.") : await work();
        }
        catch (FormatException e)
        {
            return Usage.Print(e.Message);
        }
    }

    public string Text(string name, string fallback) => Optional(name) ?? fallback;

    /// <summary>The option's value, or null when it was not given.</summary>
    /// <exception cref="FormatException">The option was given more than once.</exception>
    public string? Optional(string name)
    {
        var all = All(name);
        return all.Count switch
        {
            0 => null,
            1 => all[0],
            _ => throw new FormatException($"{name} may be given once."),
        };
    }

    /// <summary>Every value of a repeatable option, in order.</summary>
    public IReadOnlyList<string> All(string name)
    {
        read.Add(name);
        return values.TryGetValue(name, out var list) ? list : [];
    }

    public bool Flag(string name)
    {
        read.Add(name);
        return flags.Contains(name);
    }

    /// <summary>The positional arguments, in order.</summary>
    public IReadOnlyList<string> Positionals()
    {
        positionalsRead = true;
        return positionals;
    }

    /// <exception cref="FormatException">The value is not a whole number at least <paramref name="minimum"/>.</exception>
    public int Number(string name, int fallback, int minimum = int.MinValue)
    {
        var text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new FormatException($"{name} must be a whole number of at least {minimum}, not '{text}'.");
    }

    /// <returns>Null when the option was not given.</returns>
    /// <exception cref="FormatException">The value is not a number.</exception>
    public float? Real(string name)
    {
        var text = Optional(name);
        return text is null ? null : Real(name, text);
    }

    /// <exception cref="FormatException"><paramref name="text"/> is not a number.</exception>
    public static float Real(string name, string text) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && float.IsFinite(number)
            ? number
            : throw new FormatException($"{name} must be a number, not '{text}'.");

    /// <exception cref="FormatException">A value is not a positive whole number.</exception>
    public IReadOnlyList<int> Numbers(string name, IReadOnlyList<int> fallback)
    {
        var text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        return text.Split(',').Select(part => int.TryParse(part, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"{name} must be positive whole numbers separated by commas, not '{text}'.")).ToList();
    }

    /// <summary>Options, switches and positional arguments given but never read by the command.</summary>
    public IEnumerable<string> Unknown =>
        values.Keys.Concat(flags).Where(name => !read.Contains(name))
            .Concat(positionalsRead ? [] : positionals.Select(p => $"'{p}'"));
}
