using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Likeness.Media;

namespace Likeness.Cli.Commands;

/// <summary>Options the client commands build the same way; a malformed value is refused with the option named.</summary>
internal static class CliOptions
{
    /// <summary>A whole number of at least <paramref name="minimum"/>; null when not given.</summary>
    public static Option<int?> Number(string name, string description, int minimum = 0) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            return int.TryParse(text, CultureInfo.InvariantCulture, out var number) && number >= minimum
                ? number
                : Refuse<int?>(result, name, text, $"a whole number of at least {minimum}", null);
        },
    };

    /// <summary>A finite number; null when not given.</summary>
    public static Option<float?> Real(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "X",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            return ParseReal(text) ?? Refuse<float?>(result, name, text, "a number", null);
        },
    };

    /// <summary>Finite numbers, one per occurrence of the option.</summary>
    public static Option<float[]> Reals(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => [.. result.Tokens.Select(token => ParseReal(token.Value) ?? Refuse(result, name, token.Value, "a number", 0f))],
    };

    /// <summary>Text given once per occurrence of the option, in order.</summary>
    public static Option<string[]> Repeatable(string name, string description) => new(name) { Description = description };

    public static Option<string> Text(string name, string defaultValue, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary><c>--out DIR</c>: where a job's files go.</summary>
    public static Option<string?> OutputFolder() => new("--out") { Description = "Folder for the job's files (default out/<job>)." };

    /// <summary><c>--clip auto|mp4|gif</c>.</summary>
    public static Option<ClipKind> Clip() => new("--clip")
    {
        Description = "The clip: auto (MP4 through ffmpeg when installed, else GIF), mp4 or gif. Default auto.",
        HelpName = "auto|mp4|gif",
        CustomParser = result => result.Tokens.Single().Value switch
        {
            "auto" => ClipKind.Auto,
            "mp4" => ClipKind.Mp4,
            "gif" => ClipKind.Gif,
            var other => Refuse(result, "--clip", other, "auto, mp4 or gif", ClipKind.Auto),
        },
    };

    private static float? ParseReal(string text) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && float.IsFinite(number) ? number : null;

    private static T Refuse<T>(ArgumentResult result, string name, string text, string expected, T fallback)
    {
        result.AddError($"{name} must be {expected}, not '{text}'.");
        return fallback;
    }
}
