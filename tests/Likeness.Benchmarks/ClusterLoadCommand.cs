using System.CommandLine;
using System.Diagnostics;
using Grpc.Core;
using Likeness.Contracts.Generation.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Testing;
using Likeness.Testing.Faults;
using Spectre.Console;
using StackExchange.Redis;
using GeneratorClient = Likeness.Contracts.Generation.V1.Generator.GeneratorClient;

namespace Likeness.Benchmarks;

/// <summary>
/// <c>cluster-load</c>: the same burst of jobs through 1, 2 and 3 generator processes sharing one queue in a real Redis
/// (each limited to one CPU thread, standing in for one device per pod); prints jobs per minute, queue wait and
/// Redis memory for each cluster size, with throughput as a ratio of the one-pod run.
/// </summary>
internal static class ClusterLoadCommand
{
    public static Command Create()
    {
        var jobs = new Option<int>("--jobs") { Description = "Jobs sent at once, spread over the pods (default 18).", DefaultValueFactory = _ => 18 };
        var steps = new Option<int>("--steps") { Description = "Denoising steps per job: 8 frames of 64x64 on the tiny seeded model, PNG frames, a preview every 5 steps (default 40).", DefaultValueFactory = _ => 40 };
        var pods = new Option<int>("--max-pods") { Description = "Largest cluster measured; every size from 1 up is run (default 3).", DefaultValueFactory = _ => 3 };
        foreach (var option in new[] { jobs, steps, pods })
        {
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() < 1)
                {
                    r.AddError($"{option.Name} must be at least 1.");
                }
            });
        }

        var command = new Command("cluster-load", "Jobs per minute, queue wait and Redis memory with 1, 2, … generator processes on one shared queue.") { jobs, steps, pods };
        command.SetAction(async (parse, cancel) =>
        {
            var rows = new List<Figures>();
            for (var size = 1; size <= parse.GetValue(pods); size++)
            {
                AnsiConsole.MarkupLine($"[grey]{size} generator process(es): starting[/]");
                rows.Add(await RunAsync(size, parse.GetValue(jobs), parse.GetValue(steps), cancel));
            }

            Print(rows, parse.GetValue(jobs), parse.GetValue(steps));
            return 0;
        });
        return command;
    }

    private sealed record Figures(int Pods, TimeSpan Wall, double JobsPerMinute, TimeSpan WaitP50, TimeSpan WaitMax, int PodsUsed, long RedisBefore, long RedisPeak, long RedisAfter, double BytesPerJob);

    private static async Task<Figures> RunAsync(int size, int jobCount, int steps, CancellationToken cancel)
    {
        await using var redis = new RedisServer();
        var environment = new Dictionary<string, string> { ["Redis__Configuration"] = redis.Configuration, ["Logging__LogLevel__Default"] = "Warning" };
        using var encoder = new ServiceProcess("encoder", "Likeness.Encoder.dll", RunningHost.SeededIdentityModel, environment);
        var generators = Enumerable.Range(0, size).Select(i => new ServiceProcess($"generator-{i}", "Likeness.Generator.dll",
            [.. RunningHost.SeededIdentityModel, .. RunningHost.TinyVideoModel],
            new Dictionary<string, string>(environment)
            {
                ["Cluster__PodName"] = $"pod-{i}",
                ["Generator__MaxQueuedJobs"] = jobCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["OMP_NUM_THREADS"] = "1",
                ["MKL_NUM_THREADS"] = "1",
            })).ToList();
        try
        {
            await Task.WhenAll([encoder.StartAsync(TimeSpan.FromSeconds(120)), .. generators.Select(g => g.StartAsync(TimeSpan.FromSeconds(120)))]);
            var encode = new EncodeIdentityRequest();
            encode.References.Add(new Contracts.Common.V1.Image { Data = Google.Protobuf.ByteString.CopyFrom(TestImages.Face(5)) });
            var identity = (await new IdentityEncoder.IdentityEncoderClient(encoder.Channel).EncodeIdentityAsync(encode, cancellationToken: cancel)).Identity.IdentityId;
            var clients = generators.Select(g => new GeneratorClient(g.Channel)).ToList();

            // Warm-up: one job per pod, so model loading and first-call costs stay out of the figures.
            await Task.WhenAll(clients.Select((c, i) => RunJobAsync(c, identity, steps, (ulong)(1000 + i), cancel)));
            await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
            var server = connection.GetServer(connection.GetEndPoints()[0]);
            await server.ExecuteAsync("MEMORY", "PURGE");
            var before = await UsedMemoryAsync(server);
            var peak = before;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, await UsedMemoryAsync(server));
                    await Task.Delay(100, CancellationToken.None);
                }
            }, CancellationToken.None);

            var clock = Stopwatch.StartNew();
            var results = await Task.WhenAll(Enumerable.Range(0, jobCount).Select(i => RunJobAsync(clients[i % size], identity, steps, (ulong)(i + 1), cancel)));
            var wall = clock.Elapsed;
            await sampling.CancelAsync();
            await sampler;

            var after = await UsedMemoryAsync(server);
            var db = connection.GetDatabase();
            var perJob = 0.0;
            foreach (var (jobId, _, _) in results)
            {
                perJob += (long)await db.ExecuteAsync("MEMORY", "USAGE", $"likeness:jobs:job:{jobId}", "SAMPLES", "0")
                    + (long)await db.ExecuteAsync("MEMORY", "USAGE", $"likeness:jobs:job:{jobId}:events", "SAMPLES", "0");
            }

            var waits = results.Select(r => r.Wait).Order().ToList();
            return new Figures(size, wall, jobCount / wall.TotalMinutes, waits[waits.Count / 2], waits[^1], results.Select(r => r.Pod).Distinct().Count(),
                before, peak, after, perJob / results.Length);
        }
        finally
        {
            foreach (var service in generators.Append(encoder))
            {
                await service.StopAsync(TimeSpan.FromSeconds(30));
            }

            foreach (var generator in generators)
            {
                generator.Dispose();
            }
        }
    }

    /// <summary>Runs one job to its end; its id, its queue wait (the server's figure) and the pod that ran it.</summary>
    private static async Task<(string JobId, TimeSpan Wait, string Pod)> RunJobAsync(GeneratorClient client, string identity, int steps, ulong seed, CancellationToken cancel)
    {
        var request = new GenerateRequest
        {
            Prompt = "a character waves at the camera",
            NumFrames = 8,
            Width = 64,
            Height = 64,
            Steps = (uint)steps,
            Seed = seed,
            Preview = new PreviewOptions { EveryNSteps = 5, MaxSide = 64 },
        };
        request.Characters.Add(new Character { IdentityId = identity });
        using var call = client.Generate(request, cancellationToken: cancel);
        string pod = "";
        await foreach (var jobEvent in call.ResponseStream.ReadAllAsync(cancel))
        {
            if (jobEvent.EventCase == JobEvent.EventOneofCase.Started)
            {
                pod = jobEvent.Started.Generator;
            }
            else if (jobEvent.EventCase == JobEvent.EventOneofCase.Completed)
            {
                return (jobEvent.JobId, jobEvent.Completed.Timings.Queued.ToTimeSpan(), pod);
            }
        }

        throw new InvalidOperationException("A job's stream ended without completing.");
    }

    private static async Task<long> UsedMemoryAsync(IServer server)
    {
        var info = await server.InfoAsync("memory");
        return long.Parse(info.SelectMany(g => g).Single(p => p.Key == "used_memory").Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Print(IReadOnlyList<Figures> rows, int jobs, int steps)
    {
        var table = new Table().AddColumns("generators", "pods used", "wall", "jobs/min", "vs 1 pod", "queue wait p50 / max", "Redis used_memory before / peak / after", "Redis per finished job");
        var baseline = rows[0].JobsPerMinute;
        foreach (var r in rows)
        {
            table.AddRow(
                r.Pods.ToString(System.Globalization.CultureInfo.InvariantCulture),
                r.PodsUsed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{r.Wall.TotalSeconds:0.0} s",
                $"{r.JobsPerMinute:0.0}",
                $"{r.JobsPerMinute / baseline:0.00}x",
                $"{r.WaitP50.TotalSeconds:0.0} s / {r.WaitMax.TotalSeconds:0.0} s",
                $"{Kib(r.RedisBefore)} / {Kib(r.RedisPeak)} / {Kib(r.RedisAfter)}",
                $"{r.BytesPerJob / 1024:0.0} KiB");
        }

        AnsiConsole.MarkupLine($"{jobs} jobs sent at once round-robin through the pods; each 8 frames of 64x64, {steps} steps, PNG frames, a preview every 5 steps; " +
            $"every generator process limited to one CPU thread; this machine has {Environment.ProcessorCount} cores.");
        AnsiConsole.Console.Profile.Width = Math.Max(AnsiConsole.Console.Profile.Width, 160);
        AnsiConsole.Write(table);
    }

    private static string Kib(long bytes) => $"{bytes / 1024.0:0} KiB";
}
