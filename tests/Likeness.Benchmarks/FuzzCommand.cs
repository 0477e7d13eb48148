using System.CommandLine;
using Likeness.Testing;

namespace Likeness.Benchmarks;

/// <summary>
/// <c>fuzz [images|tokens|all] [--seconds N] [--write-seeds]</c>: runs <see cref="ParserFuzzing"/> (a long CsCheck
/// mutation run from the seed corpus in tests/fuzz/) over each target and prints inputs tried and crashes found;
/// crashing inputs are saved under out/fuzz/crashes/. Exits 1 when anything crashed.
/// </summary>
internal static class FuzzCommand
{
    public static Command Create()
    {
        var targets = new Argument<string[]>("targets")
        {
            Description = "images (the reference checks), tokens (the token-blob parser) or all (default).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        targets.AcceptOnlyFromAmong("images", "tokens", "all");
        var seconds = new Option<int>("--seconds") { Description = "Seconds per target (default 60).", DefaultValueFactory = _ => 60 };
        var writeSeeds = new Option<bool>("--write-seeds") { Description = "Write the seed corpus to tests/fuzz/ and stop." };
        var command = new Command("fuzz", "Mutation fuzzing of the image checks and the token-blob parser from the seed corpus in tests/fuzz/.")
        {
            targets, seconds, writeSeeds,
        };
        command.SetAction(parse => parse.GetValue(writeSeeds)
            ? WriteSeeds()
            : Run(parse.GetValue(targets) ?? [], TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(seconds)))));
        return command;
    }

    private static int WriteSeeds()
    {
        ParserFuzzing.WriteSeeds(Repository.Root);
        Console.WriteLine($"Seeds written to {ParserFuzzing.CorpusFolder}/.");
        return 0;
    }

    private static int Run(string[] targets, TimeSpan perTarget)
    {
        var chosen = targets.Length == 0 || targets.Contains("all") ? ["images", "tokens"] : targets.Distinct().ToArray();
        var crashFolder = Path.Combine(Repository.Root, "out", "fuzz", "crashes");
        var failed = false;
        foreach (var target in chosen)
        {
            var result = ParserFuzzing.Run(target, perTarget, crashFolder);
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
