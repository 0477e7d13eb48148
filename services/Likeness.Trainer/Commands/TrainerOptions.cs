using System.CommandLine;

namespace Likeness.Trainer.Commands;

/// <summary>Options every training command builds the same way: a default, a description and, for numbers, a floor.</summary>
internal static class TrainerOptions
{
    /// <summary>An integer option with a default and a minimum, refused below it with the option named.</summary>
    public static Option<int> Number(string name, int defaultValue, string description, int minimum = int.MinValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < minimum)
            {
                result.AddError($"{name} must be at least {minimum}.");
            }
        });
        return option;
    }

    /// <summary>A text option (a path, a name) with a default.</summary>
    public static Option<string> Text(string name, string defaultValue, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>Comma-separated positive integers, such as stage widths.</summary>
    public static Option<IReadOnlyList<int>> Numbers(string name, IReadOnlyList<int> defaultValue, string description) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var values = parts.Select(p => int.TryParse(p, out var v) && v > 0 ? v : -1).ToList();
                if (values.Count == 0 || values.Contains(-1))
                {
                    result.AddError($"{name} takes comma-separated positive integers, such as 32,64,128.");
                    return defaultValue;
                }

                return values;
            },
        };
}
