using System.Globalization;

namespace Likeness.Host.Demo;

/// <summary>The demo's command line: where to write and how long a clip to make.</summary>
internal sealed record DemoSettings(string Output, int Frames, int Steps, ulong Seed)
{
    /// <returns>Null when the arguments are not understood.</returns>
    public static DemoSettings? Parse(string[] args)
    {
        var settings = new DemoSettings(Path.Combine(OutputRoot(), $"demo-{DateTime.Now:yyyyMMdd-HHmmss}"), Frames: 8, Steps: 20, Seed: 2026);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            settings = (args[i], value) switch
            {
                ("--out", { } dir) => settings with { Output = Path.GetFullPath(dir) },
                ("--frames", { } n) when int.TryParse(n, CultureInfo.InvariantCulture, out var frames) && frames is 4 or 8 or 16 => settings with { Frames = frames },
                ("--steps", { } n) when int.TryParse(n, CultureInfo.InvariantCulture, out var steps) && steps is > 0 and <= 100 => settings with { Steps = steps },
                ("--seed", { } n) when ulong.TryParse(n, CultureInfo.InvariantCulture, out var seed) => settings with { Seed = seed },
                _ => null,
            };
            if (settings is null)
            {
                return null;
            }

            i++;
        }

        return settings;
    }

    /// <summary><c>out/</c> at the repository root when run from inside a checkout, else in the current folder.</summary>
    private static string OutputRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Services.sln")))
            {
                return Path.Combine(dir.FullName, "out");
            }
        }

        return Path.GetFullPath("out");
    }
}
