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
/// Resident memory of the encoder and generator processes (real processes on a real Redis, as their containers run
/// them) over many cold encodes and cancelled generations: the figure after a warm-up against the figure at the end
/// and the largest seen, each read once the processes are idle and their memory has settled, with the growth as a ratio
/// (target within ±5%).
/// </summary>
internal static class MemoryBenchmark
{
    public static async Task RunAsync(int encodes, int cancelled)
    {
        await using var redis = new RedisServer();
        var environment = new Dictionary<string, string> { ["Redis__Configuration"] = redis.Configuration, ["Logging__LogLevel__Default"] = "Warning" };
        using var encoder = new ServiceProcess("encoder", "Likeness.Encoder.dll", RunningHost.SeededIdentityModel, environment);
        using var generator = new ServiceProcess("generator", "Likeness.Generator.dll", [.. RunningHost.SeededIdentityModel, .. RunningHost.TinyVideoModel], environment);
        try
        {
            await Task.WhenAll(encoder.StartAsync(TimeSpan.FromSeconds(120)), generator.StartAsync(TimeSpan.FromSeconds(120)));
            var encoderClient = new IdentityEncoder.IdentityEncoderClient(encoder.Channel);
            var generatorClient = new GeneratorClient(generator.Channel);
            Console.WriteLine($"encoder and generator processes on redis-server {redis.Configuration}; seeded identity model, tiny video model; " +
                $"{encodes} cold encodes of distinct 256x256 PNG faces, one cancelled generation (16 frames of 64x64) every {Math.Max(1, encodes / cancelled)} encodes; {Environment.ProcessorCount} cores");

            // Warm-up, a tenth of the run: the allocators, pools and JIT reach their working size first.
            var identity = "";
            for (var i = 0; i < encodes / 10; i++)
            {
                identity = await EncodeAsync(encoderClient, 1_000_000 + i);
            }

            for (var i = 0; i < cancelled / 10; i++)
            {
                await CancelAfterFirstStepAsync(generatorClient, identity, (ulong)i);
            }

            var start = await SettledAsync(encoder, generator);
            var peak = start;
            var every = Math.Max(1, encodes / cancelled);
            var generations = 0;
            Console.WriteLine();
            Console.WriteLine($"{"after",-26} {"encoder RSS",14} {"generator RSS",14}");
            Console.WriteLine($"{$"warm-up ({encodes / 10} + {cancelled / 10})",-26} {Mb(start.Encoder),14} {Mb(start.Generator),14}");
            for (var i = 0; i < encodes; i++)
            {
                identity = await EncodeAsync(encoderClient, i);
                if (i % every == every - 1 && generations < cancelled)
                {
                    await CancelAfterFirstStepAsync(generatorClient, identity, (ulong)(100 + i));
                    generations++;
                }

                if ((i + 1) % (encodes / 10) == 0)
                {
                    var now = await SettledAsync(encoder, generator);
                    peak = (Math.Max(peak.Encoder, now.Encoder), Math.Max(peak.Generator, now.Generator));
                    Console.WriteLine($"{$"{i + 1} encodes, {generations} cancelled",-26} {Mb(now.Encoder),14} {Mb(now.Generator),14}");
                }
            }

            var end = await SettledAsync(encoder, generator);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"encoder   RSS warm-up / end / peak: {Mb(start.Encoder)} / {Mb(end.Encoder)} / {Mb(peak.Encoder)}   end/warm-up {end.Encoder / (double)start.Encoder:0.000}x  {Verdict(start.Encoder, end.Encoder)}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generator RSS warm-up / end / peak: {Mb(start.Generator)} / {Mb(end.Generator)} / {Mb(peak.Generator)}   end/warm-up {end.Generator / (double)start.Generator:0.000}x  {Verdict(start.Generator, end.Generator)}"));
        }
        finally
        {
            foreach (var service in new[] { encoder, generator })
            {
                await service.StopAsync(TimeSpan.FromSeconds(30));
            }
        }
    }

    /// <summary>Both processes' resident memory once settled (<see cref="ResidentMemory.SettledAsync"/>): read idle, after the generator's cancelled job was torn down.</summary>
    private static async Task<(long Encoder, long Generator)> SettledAsync(ServiceProcess encoder, ServiceProcess generator) =>
        (await ResidentMemory.SettledAsync(encoder.ResidentBytes), await ResidentMemory.SettledAsync(generator.ResidentBytes));

    private static async Task<string> EncodeAsync(IdentityEncoder.IdentityEncoderClient client, int seed)
    {
        var request = new EncodeIdentityRequest { References = { new Image { Data = ByteString.CopyFrom(TestImages.Face(seed, 256, 256)) } } };
        return (await client.EncodeIdentityAsync(request)).Identity.IdentityId;
    }

    private static async Task CancelAfterFirstStepAsync(GeneratorClient client, string identity, ulong seed)
    {
        var request = new GenerateRequest { NumFrames = 16, Width = 64, Height = 64, Steps = 100, Seed = seed, Characters = { new Character { IdentityId = identity } } };
        using var call = client.Generate(request);
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            if (call.ResponseStream.Current.EventCase == JobEvent.EventOneofCase.Step)
            {
                await client.CancelJobAsync(new CancelJobRequest { JobId = call.ResponseStream.Current.JobId });
                break;
            }
        }

        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            // The job ended cancelled, as asked.
        }
    }

    private static string Verdict(long start, long end) => Math.Abs((end / (double)start) - 1) <= 0.05 ? "(within ±5%)" : "(outside ±5%)";

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB");
}
