using System.CommandLine;
using Likeness.Training.Evaluation;

namespace Likeness.Benchmarks;

/// <summary>The bench command: one subcommand per suite, each printing figures.</summary>
internal static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("""
            Likeness benchmarks: commands that print figures.
            Usage: dotnet run -c Release --project tests/Likeness.Benchmarks -- <suite> [options]
            """);
        root.Subcommands.Add(Encode());
        root.Subcommands.Add(Generate());
        root.Subcommands.Add(PyTorch());
        root.Subcommands.Add(Memory());
        root.Subcommands.Add(LongVideo());
        root.Subcommands.Add(LongJobMemory());
        root.Subcommands.Add(FaultsCommand.Create());
        root.Subcommands.Add(FuzzCommand.Create());
        root.Subcommands.Add(ClusterLoadCommand.Create());
        var parse = root.Parse(args);
        if (args.Length == 0 || parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine(error.Message);
            }

            root.Parse([.. args.Take(args.Length > 0 && root.Subcommands.Any(c => c.Name == args[0]) ? 1 : 0), "--help"])
                .Invoke(new InvocationConfiguration { Output = Console.Error });
            return 2;
        }

        // Ctrl-C or SIGTERM cancels the running suite; faults then stops its service processes and prints what it saw.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(3) });
    }

    private static Command Encode()
    {
        var redis = new Option<bool>("--redis") { Description = "Store tokens in a redis-server started for the run (default: the embedded in-memory store)." };
        var runs = Runs(40, "Cold encodes per reference count; cache hits run 5 × N.");
        var command = new Command("encode", "EncodeIdentity latency over gRPC on loopback: cold (model runs) and cache hit, 1 and 5 references.") { redis, runs };
        command.SetAction(async parse =>
        {
            await EncodeBenchmark.RunAsync(parse.GetValue(runs), parse.GetValue(redis));
            return 0;
        });
        return command;
    }

    private static Command Generate()
    {
        var runs = Runs(5, "Runs of the default clip, each with and without previews, over gRPC and in-process.");
        var command = new Command("generate", "Denoising step time and FLOP/s against this machine's matmul roofline, time to first preview, " +
            "Generate over gRPC against the same loop in-process (default clip).") { runs };
        command.SetAction(async parse =>
        {
            await GenerateBenchmark.RunAsync(parse.GetValue(runs));
            return 0;
        });
        return command;
    }

    private static Command PyTorch()
    {
        var calls = Runs(20, "Timed denoiser calls per implementation, after three warm-up calls.");
        var frames = new Option<int>("--frames") { Description = "Frames of the clip (default 8, the generator's default).", DefaultValueFactory = _ => 8 };
        var size = new Option<int>("--size") { Description = "Frame side in pixels (default 64, the generator's default).", DefaultValueFactory = _ => 64 };
        var command = new Command("pytorch", "The shipped denoiser's guidance step in TorchSharp against its PyTorch reference (Debian's python3-torch): " +
            "time, ratio and largest difference; and two jobs' steps as one batch against one at a time.") { calls, frames, size };
        command.SetAction(async parse =>
        {
            await DenoiserBenchmark.RunAsync(parse.GetValue(calls), parse.GetValue(frames), parse.GetValue(size));
            return 0;
        });
        return command;
    }

    private static Command LongVideo()
    {
        var characters = new Option<int>("--characters") { Description = "Held-out characters (default 3).", DefaultValueFactory = _ => 3 };
        var seconds = new Option<int>("--seconds") { Description = "Length of each clip in seconds at 8 fps (default 60).", DefaultValueFactory = _ => 60 };
        var output = new Option<string>("--out") { Description = "Folder for the contact sheet (default out/long-video).", DefaultValueFactory = _ => Path.Combine("out", "long-video") };
        var command = new Command("long-video", "Long clips on held-out characters through the embedded host: Likeness against last-frame chaining and " +
            "independent chunks, a character returning after 1–8 shots away, and compute time against clip length.") { characters, seconds, output };
        command.SetAction(async parse =>
        {
            await LongVideoBenchmark.RunAsync(new LongVideoSettings { Characters = parse.GetValue(characters), Seconds = parse.GetValue(seconds) }, parse.GetValue(output)!);
            return 0;
        });
        return command;
    }

    private static Command LongJobMemory()
    {
        var seconds = new Option<int>("--seconds") { Description = "Length of the clip (default 120, Generator:MaxSeconds).", DefaultValueFactory = _ => 120 };
        var fps = new Option<int>("--fps") { Description = "Frames per second (default 40: about ten minutes of work on 2 cores).", DefaultValueFactory = _ => 40 };
        var command = new Command("memory-long-job", "Resident memory of a generator process over one long job, read after every chunk: the floor of the first tenth against the last.") { seconds, fps };
        command.SetAction(async parse =>
        {
            await LongJobMemoryBenchmark.RunAsync(parse.GetValue(seconds), parse.GetValue(fps));
            return 0;
        });
        return command;
    }

    private static Command Memory()
    {
        var encodes = new Option<int>("--encodes") { Description = "Cold encodes after the warm-up (default 1000).", DefaultValueFactory = _ => 1000 };
        var cancelled = new Option<int>("--cancelled") { Description = "Generations cancelled after their first step, spread among the encodes (default 100).", DefaultValueFactory = _ => 100 };
        foreach (var option in new[] { encodes, cancelled })
        {
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() < 10)
                {
                    r.AddError($"{option.Name} must be at least 10.");
                }
            });
        }

        var command = new Command("memory", "Resident memory of the encoder and generator processes over many cold encodes and cancelled generations, against a warm-up.") { encodes, cancelled };
        command.SetAction(async parse =>
        {
            await MemoryBenchmark.RunAsync(parse.GetValue(encodes), parse.GetValue(cancelled));
            return 0;
        });
        return command;
    }

    private static Option<int> Runs(int defaultValue, string description)
    {
        var runs = new Option<int>("--runs") { Description = $"{description} (default {defaultValue})", DefaultValueFactory = _ => defaultValue };
        runs.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--runs must be at least 1.");
            }
        });
        return runs;
    }
}
