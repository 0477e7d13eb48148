using Likeness.Testing;

namespace Likeness.Benchmarks;

/// <summary>The fuzz suite: runs <see cref="ParserFuzzing"/> over each target and prints inputs tried and crashes found.</summary>
internal static class FuzzCommand
{
    public static int Run(string[] args)
    {
        var targets = new List<string>();
        var seconds = 60;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "images" or "tokens":
                    targets.Add(args[i]);
                    break;
                case "all":
                    targets.AddRange(["images", "tokens"]);
                    break;
                case "--seconds" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
                    seconds = n;
                    i++;
                    break;
                case "--write-seeds":
                    ParserFuzzing.WriteSeeds(Repository.Root);
                    Console.WriteLine($"Seeds written to {ParserFuzzing.CorpusFolder}/.");
                    return 0;
                default:
                    Console.Error.WriteLine($"Unknown fuzz option {args[i]}; use images, tokens, all, --seconds N or --write-seeds.");
                    return 2;
            }
        }

        var crashFolder = Path.Combine(Repository.Root, "out", "fuzz", "crashes");
        var failed = false;
        foreach (var target in targets.Count > 0 ? targets.Distinct() : ["images", "tokens"])
        {
            var result = ParserFuzzing.Run(target, TimeSpan.FromSeconds(seconds), crashFolder);
            Console.WriteLine($"{result.Target,-7} {result.Inputs,10:N0} inputs in {result.Elapsed.TotalSeconds:F0} s ({result.Inputs / result.Elapsed.TotalSeconds:N0}/s), {result.Crashes} crash(es)");
            failed |= result.Crashes > 0;
        }

        if (failed)
        {
            Console.WriteLine($"Crashing inputs and their exceptions: {crashFolder}");
        }

        return failed ? 1 : 0;
    }
}
