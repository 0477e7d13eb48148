using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Testing;
using Likeness.Testing.Faults;
using GeneratorClient = Likeness.Contracts.Generation.V1.Generator.GeneratorClient;

namespace Likeness.Benchmarks;

/// <summary>
/// Resident memory of a generator process (the shipped models, its container's settings, on a real Redis) over one
/// long job, read after every chunk: the lowest reading of the first tenth of its chunks against that of the last tenth
/// (target within ±5%: nothing a chunk allocates may stay behind), and the highest reading.
/// </summary>
internal static class LongJobMemoryBenchmark
{
    public static async Task RunAsync(int seconds, int fps)
    {
        await using var redis = new RedisServer();
        var environment = new Dictionary<string, string> { ["Redis__Configuration"] = redis.Configuration, ["Logging__LogLevel__Default"] = "Warning" };
        using var encoder = new ServiceProcess("encoder", "Likeness.Encoder.dll", [], environment);
        using var generator = new ServiceProcess("generator", "Likeness.Generator.dll", [], environment);
        try
        {
            await Task.WhenAll(encoder.StartAsync(TimeSpan.FromSeconds(120)), generator.StartAsync(TimeSpan.FromSeconds(120)));
            var client = new GeneratorClient(generator.Channel);
            var identity = (await new IdentityEncoder.IdentityEncoderClient(encoder.Channel).EncodeIdentityAsync(
                new EncodeIdentityRequest { References = { new Image { Data = ByteString.CopyFrom(await File.ReadAllBytesAsync(Reference())) } } })).Identity.IdentityId;
            var request = new GenerateRequest { Prompt = "a character talks", Seconds = seconds, Fps = (uint)fps, Seed = 1, Characters = { new Character { IdentityId = identity } } };
            var started = Stopwatch.GetTimestamp();
            using var call = client.Generate(request);
            // Read after every chunk; the device starts the next chunk at once, so a single reading may fall before or after
            // that chunk's first allocations. Each tenth's lowest reading is the floor a leak would lift; its highest, the peak.
            var tenths = new List<(int Chunk, long Low, long High)>();
            var (chunks, low, high) = (0, long.MaxValue, 0L);
            await foreach (var jobEvent in call.ResponseStream.ReadAllAsync())
            {
                if (jobEvent.EventCase == JobEvent.EventOneofCase.Started)
                {
                    chunks = (int)jobEvent.Started.TotalChunks;
                    Console.WriteLine($"generator process, shipped models, one job of {seconds} s at {fps} fps: {jobEvent.Started.NumFrames} frames in {chunks} chunks; {Environment.ProcessorCount} cores");
                    Console.WriteLine($"{"chunks",12} {"minutes",8} {"lowest RSS",12} {"highest RSS",12}");
                }
                else if (jobEvent.EventCase == JobEvent.EventOneofCase.ChunkFinished)
                {
                    var bytes = generator.ResidentBytes();
                    (low, high) = (Math.Min(low, bytes), Math.Max(high, bytes));
                    var done = (int)jobEvent.ChunkFinished.Chunk + 1;
                    if (done % Math.Max(1, chunks / 10) == 0 || done == chunks)
                    {
                        tenths.Add((done, low, high));
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{done,12} {Stopwatch.GetElapsedTime(started).TotalMinutes,8:0.0} {Mb(low),12} {Mb(high),12}"));
                        (low, high) = (long.MaxValue, 0L);
                    }
                }
            }

            var (first, last, peak) = (tenths[0].Low, tenths[^1].Low, tenths.Max(r => r.High));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generator RSS floor in the first tenth / the last tenth / peak: {Mb(first)} / {Mb(last)} / {Mb(peak)}   last/first {last / (double)first:0.000}x  " +
                $"{(Math.Abs((last / (double)first) - 1) <= 0.05 ? "(within ±5%)" : "(outside ±5%)")}; {Stopwatch.GetElapsedTime(started).TotalMinutes:0.0} min"));
        }
        finally
        {
            foreach (var service in new[] { encoder, generator })
            {
                await service.StopAsync(TimeSpan.FromSeconds(30));
            }
        }
    }

    private static string Reference() => Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "DemoReferences"), "mira-*.png").Order().First();

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB");
}
