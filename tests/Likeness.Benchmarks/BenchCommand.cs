namespace Likeness.Benchmarks;

/// <summary>Parses the command line and runs one benchmark suite.</summary>
internal static class BenchCommand
{
    private const string Usage = """
        Usage: dotnet run -c Release --project tests/Likeness.Benchmarks -- <suite> [options]

        Suites:
          encode    EncodeIdentity latency over gRPC on loopback: cold (model runs) and cache hit, 1 and 5 references.
          generate  Denoising step time and FLOP/s against this machine's matmul roofline, time to first preview,
                    Generate over gRPC against the same loop in-process (default clip; --runs defaults to 3).
          fuzz      Mutation fuzzing (a long CsCheck run) of the image checks and the token-blob parser from the seed
                    corpus in tests/fuzz/: fuzz [images|tokens|all] [--seconds N (default 60 per target)]
                    [--write-seeds]; prints inputs tried and crashes, saves crashing inputs under out/fuzz/crashes/.

        Options:
          --redis         store tokens in a redis-server started for the run (default: the embedded in-memory store)
          --runs N        cold encodes per reference count (default 40; cache hits run 5 × N)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] == "fuzz")
        {
            return FuzzCommand.Run(args[1..]);
        }

        var runs = args.Length > 0 && args[0] == "generate" ? 3 : 40;
        var redis = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--redis":
                    redis = true;
                    break;
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
                    runs = n;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"Unknown option {args[i]}.\n\n{Usage}");
                    return 2;
            }
        }

        switch (args[0])
        {
            case "encode":
                await EncodeBenchmark.RunAsync(runs, redis);
                return 0;
            case "generate":
                await GenerateBenchmark.RunAsync(runs);
                return 0;
            default:
                Console.Error.WriteLine($"Unknown suite {args[0]}.\n\n{Usage}");
                return 2;
        }
    }
}
