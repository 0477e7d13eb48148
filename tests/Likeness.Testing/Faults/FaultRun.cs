using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Core;
using Likeness.Contracts.Generation.V1;
using Likeness.Contracts.Identity.V1;
using GeneratorClient = Likeness.Contracts.Generation.V1.Generator.GeneratorClient;

namespace Likeness.Testing.Faults;

/// <summary>
/// Drives a real redis-server, encoder process and generator process from many clients while it kills Redis, drops
/// clients mid-stream and SIGTERMs the generator, and measures what the clients saw (<see cref="FaultReport"/>).
/// </summary>
/// <remarks>
/// Redis runs without persistence unless <see cref="FaultSettings.RedisPersistence"/>: a kill then loses every
/// identity, and clients must see NOT_FOUND (and encode again), never other tokens. Jobs live in Redis too (the job
/// board every generator shares), so a kill without persistence takes the jobs of that moment with it: their streams
/// end NOT_FOUND saying so, and they are counted apart. Otherwise a job is lost when the generator accepted it (a
/// first event arrived), its stream ended without a final event, and WatchJob could not follow it to one. On SIGTERM
/// the generator's streams end UNAVAILABLE while its jobs go on: the restarted process takes them over, and WatchJob
/// follows them to their end.
/// </remarks>
public sealed partial class FaultRun : IAsyncDisposable
{
    private static readonly TimeSpan Unary = TimeSpan.FromSeconds(10);
    private readonly FaultSettings settings;
    private readonly FaultReport report;
    private readonly TextWriter log;
    private readonly RedisServer redis;
    private readonly ServiceProcess encoder;
    private readonly ServiceProcess generator;
    private readonly IdentityEncoder.IdentityEncoderClient encoderClient;
    private readonly GeneratorClient generatorClient;
    private readonly Dictionary<int, ProcessMemory> memory = [];
    private readonly Stopwatch clock = new();
    private Face[] faces = [];
    private int generatorIncarnation;
    private volatile bool terminating;

    private FaultRun(FaultSettings settings, TextWriter log)
    {
        this.settings = settings;
        this.log = log;
        report = new FaultReport(settings);
        redis = new RedisServer(settings.RedisPersistence);
        var environment = new Dictionary<string, string>
        {
            ["Redis__Configuration"] = redis.Configuration,
            ["Logging__LogLevel__Default"] = "Warning",
            // The one line per job outcome, which the run counts.
            ["Logging__LogLevel__Likeness.Generation.Board.JobOutcomes"] = "Information",
        };
        encoder = new ServiceProcess("encoder", "Likeness.Encoder.dll", RunningHost.SeededIdentityModel, environment);
        generator = new ServiceProcess("generator", "Likeness.Generator.dll", [.. RunningHost.SeededIdentityModel, .. RunningHost.TinyVideoModel],
            new Dictionary<string, string>(environment) { ["ShutdownTimeout"] = "00:00:20", ["Generator__DrainTimeout"] = "00:00:02" });
        encoderClient = new IdentityEncoder.IdentityEncoderClient(encoder.Channel);
        generatorClient = new GeneratorClient(generator.Channel);
    }

    /// <summary>Runs the whole schedule and returns the figures; <paramref name="progress"/> is called about once a second.</summary>
    /// <param name="logFolder">Where each service process's output is written at the end (encoder-1.log, generator-2.log, …); null: nowhere.</param>
    /// <param name="interrupted">Ends the load early (Ctrl-C, SIGTERM to the command); the final check and the shutdown still run.</param>
    public static async Task<FaultReport> RunAsync(
        FaultSettings settings, TextWriter? log = null, Action<FaultReport, TimeSpan>? progress = null, string? logFolder = null, CancellationToken interrupted = default)
    {
        await using var run = new FaultRun(settings, log ?? TextWriter.Null);
        try
        {
            return await run.RunAsync(progress, interrupted);
        }
        finally
        {
            run.WriteServiceLogs(logFolder);
        }
    }

    private async Task<FaultReport> RunAsync(Action<FaultReport, TimeSpan>? progress, CancellationToken interrupted)
    {
        log.WriteLine($"redis-server on {redis.Configuration} ({(settings.RedisPersistence ? "append-only file, fsync always" : "no persistence")}); starting the encoder and generator processes");
        await Task.WhenAll(encoder.StartAsync(TimeSpan.FromSeconds(120)), generator.StartAsync(TimeSpan.FromSeconds(120)));
        faces = await BaselineAsync();
        await WarmUpAsync();
        log.WriteLine($"encoder :{encoder.Port} and generator :{generator.Port} serving; {faces.Length} identities encoded; {settings.Clients} clients for {settings.Duration}");

        clock.Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
        stop.CancelAfter(settings.Duration);
        using var sampling = new CancellationTokenSource();
        var sampler = SampleMemoryAsync(progress, stop, sampling.Token);
        var clients = Enumerable.Range(0, settings.Clients).Select(i => Task.Run(() => ClientAsync(i, stop.Token))).ToList();
        await FaultsAsync(stop.Token);
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(120), CancellationToken.None);
        report.Elapsed = clock.Elapsed;

        // Ctrl-C at a terminal signals the whole process group, the services included: they stop on their own.
        report.Interrupted = interrupted.IsCancellationRequested;
        report.ServingAtEnd = !report.Interrupted && report.UnexpectedExits == 0 && await FinalCheckAsync();
        await sampling.CancelAsync();
        await sampler;
        Memory();
        await ShutdownAsync();
        ReadLogs();
        return report;
    }

    /// <summary>Encodes every face once and keeps its id and token bytes: what every later answer must equal.</summary>
    private async Task<Face[]> BaselineAsync()
    {
        var baseline = new Face[settings.Faces];
        for (var i = 0; i < baseline.Length; i++)
        {
            var request = new EncodeIdentityRequest();
            foreach (var seed in i % 4 == 3 ? new[] { 1000 + i, 2000 + i } : [1000 + i])
            {
                request.References.Add(new Contracts.Common.V1.Image { Data = Google.Protobuf.ByteString.CopyFrom(TestImages.Face(seed, 128, 128)) });
            }

            var encoded = await encoderClient.EncodeIdentityAsync(request, deadline: Deadline(Unary));
            var stored = await encoderClient.GetIdentityAsync(new GetIdentityRequest { IdentityId = encoded.Identity.IdentityId, IncludeTokens = true }, deadline: Deadline(Unary));
            baseline[i] = new Face(i, request, encoded.Identity.IdentityId, stored.Tokens);
        }

        return baseline;
    }

    private async Task WarmUpAsync()
    {
        using var call = generatorClient.Generate(GenerateRequestFor(faces[0], 1), deadline: Deadline(TimeSpan.FromSeconds(120)));
        var last = await JobStreams.LastEventAsync(call);
        report.Accepted(last.JobId);
    }

    private async Task ClientAsync(int client, CancellationToken stop)
    {
        var random = new Random(settings.Seed * 1000 + client);
        var forceDrop = client == 0; // so that even a short run drops a client mid-stream
        while (!stop.IsCancellationRequested)
        {
            var face = faces[random.Next(faces.Length)];
            var choice = random.Next(100);
            try
            {
                if (choice < 30)
                {
                    await EncodeAsync(face);
                }
                else if (choice < 50)
                {
                    await GetTokensAsync(face);
                }
                else if (choice < 55)
                {
                    await CallAsync("DeleteIdentity", () => encoderClient.DeleteIdentityAsync(
                        new DeleteIdentityRequest { IdentityId = face.IdentityId }, deadline: Deadline(Unary), cancellationToken: CancellationToken.None).ResponseAsync);
                }
                else
                {
                    var drop = forceDrop || random.NextDouble() < settings.DropShare;
                    forceDrop = false;
                    await GenerateAsync(face, drop, (ulong)random.Next(1, 1 << 20));
                }
            }
            catch (RpcException e)
            {
                await Task.Delay(100 + random.Next(200), CancellationToken.None);
                if (e.StatusCode == StatusCode.NotFound)
                {
                    await TryAsync(() => EncodeAsync(face)); // the identity went with Redis: encode it again
                }
            }
        }
    }

    private async Task EncodeAsync(Face face)
    {
        var response = await CallAsync("EncodeIdentity", () => encoderClient.EncodeIdentityAsync(face.Request, deadline: Deadline(Unary)).ResponseAsync);
        report.TokenCheck();
        if (response.Identity.IdentityId != face.IdentityId || !response.Identity.TokenShape.SequenceEqual(face.Tokens.Shape))
        {
            report.Corrupted($"EncodeIdentity of face {face.Index} answered {response.Identity.IdentityId} [{string.Join('x', response.Identity.TokenShape)}], first encode gave {face.IdentityId}");
        }
    }

    private async Task GetTokensAsync(Face face)
    {
        var response = await CallAsync("GetIdentity", () => encoderClient.GetIdentityAsync(
            new GetIdentityRequest { IdentityId = face.IdentityId, IncludeTokens = true }, deadline: Deadline(Unary)).ResponseAsync);
        report.TokenCheck();
        if (response.Identity.IdentityId != face.IdentityId || !response.Tokens.Equals(face.Tokens))
        {
            report.Corrupted($"GetIdentity {face.IdentityId} (face {face.Index}) answered tokens that differ from the first encode");
        }
    }

    private async Task GenerateAsync(Face face, bool drop, ulong seed)
    {
        report.Request("Generate");
        using var walkAway = new CancellationTokenSource();
        using var call = generatorClient.Generate(GenerateRequestFor(face, seed), deadline: Deadline(TimeSpan.FromSeconds(180)), cancellationToken: walkAway.Token);
        string? jobId = null;
        ulong last = 0;
        var incarnation = 0;
        var redisKills = 0;
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var jobEvent = call.ResponseStream.Current;
                if (jobId is null)
                {
                    jobId = jobEvent.JobId;
                    incarnation = Volatile.Read(ref generatorIncarnation);
                    redisKills = report.RedisKills;
                    report.Accepted(jobId);
                }

                last = jobEvent.Sequence;
                if (jobEvent.EventCase is JobEvent.EventOneofCase.Completed or JobEvent.EventOneofCase.Ended)
                {
                    Ended(jobEvent);
                    if (seed % 3 == 0)
                    {
                        await TryAsync(() => RecheckAsync(jobId, jobEvent, incarnation));
                    }

                    return;
                }

                if (drop && jobEvent.EventCase == JobEvent.EventOneofCase.Step)
                {
                    await walkAway.CancelAsync();
                    report.Dropped();
                    await FollowAsync(jobId, last, incarnation, redisKills, dropped: true);
                    return;
                }
            }
        }
        catch (RpcException e) when (jobId is not null)
        {
            report.Error("Generate", e.StatusCode);
        }
        catch (RpcException e)
        {
            report.Error("Generate", e.StatusCode);
            throw;
        }

        if (jobId is not null)
        {
            await FollowAsync(jobId, last, incarnation, redisKills, dropped: false);
        }
    }

    /// <summary>
    /// Follows a job whose own stream gave no final event through WatchJob, as a client resuming would: while the
    /// generator restarts it answers UNAVAILABLE, so it tries again for up to a minute and a half.
    /// </summary>
    private async Task FollowAsync(string jobId, ulong after, int incarnation, int redisKills, bool dropped)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                report.Request("WatchJob");
                using var watch = generatorClient.WatchJob(new WatchJobRequest { JobId = jobId, AfterSequence = after }, deadline: Deadline(TimeSpan.FromSeconds(60)));
                while (await watch.ResponseStream.MoveNext(CancellationToken.None))
                {
                    var jobEvent = watch.ResponseStream.Current;
                    after = jobEvent.Sequence;
                    if (jobEvent.EventCase is JobEvent.EventOneofCase.Completed or JobEvent.EventOneofCase.Ended)
                    {
                        if (!dropped)
                        {
                            report.Resumed();
                        }

                        Ended(jobEvent);
                        return;
                    }
                }
            }
            catch (RpcException e)
            {
                report.Error("WatchJob", e.StatusCode);
                if (e.StatusCode == StatusCode.NotFound)
                {
                    break;
                }
            }

            await Task.Delay(300);
        }

        if (report.RedisKills != redisKills && !settings.RedisPersistence)
        {
            report.LostWithRedis(jobId);
            return;
        }

        report.Lost($"{jobId}{(dropped ? " (client dropped)" : "")}: no final event on its stream, and WatchJob after {after} could not follow it to one" +
            (Volatile.Read(ref generatorIncarnation) != incarnation ? " (the generator was SIGTERMed meanwhile)" : ""));
    }

    /// <summary>GetJob and a WatchJob replay of a finished job agree with its stream's final event.</summary>
    private async Task RecheckAsync(string jobId, JobEvent final, int incarnation)
    {
        var expected = final.EventCase == JobEvent.EventOneofCase.Completed ? JobState.Completed : final.Ended.State;
        try
        {
            var status = await CallAsync("GetJob", () => generatorClient.GetJobAsync(new GetJobRequest { JobId = jobId }, deadline: Deadline(Unary)).ResponseAsync);
            if (status.State != expected)
            {
                report.Problem($"GetJob {jobId} says {status.State}, its stream ended {expected}");
            }

            report.Request("WatchJob");
            using var watch = generatorClient.WatchJob(new WatchJobRequest { JobId = jobId, AfterSequence = final.Sequence - 1 }, deadline: Deadline(Unary));
            var last = await JobStreams.LastEventAsync(watch);
            if (last.Sequence != final.Sequence || last.EventCase != final.EventCase)
            {
                report.Problem($"WatchJob {jobId} replayed {last.EventCase} #{last.Sequence}, its stream ended {final.EventCase} #{final.Sequence}");
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound && !settings.RedisPersistence)
        {
            // Redis was killed meanwhile and its jobs went with it (no persistence).
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.NotFound)
        {
            report.Error("WatchJob", e.StatusCode);
        }
    }

    private void Ended(JobEvent final)
    {
        if (final.EventCase == JobEvent.EventOneofCase.Completed)
        {
            report.Completed();
        }
        else if (final.Ended.State == JobState.Cancelled)
        {
            report.Cancelled();
        }
        else
        {
            report.Failed($"{final.JobId}: {final.Ended.Reason}");
        }
    }

    /// <summary>Kills Redis and SIGTERMs the generator on the schedule, one fault at a time.</summary>
    private async Task FaultsAsync(CancellationToken stop)
    {
        var schedule = Times(settings.RedisKillEvery, 1.0 / 3).Select(t => (At: t, Redis: true))
            .Concat(Times(settings.SigtermEvery, 2.0 / 3).Select(t => (At: t, Redis: false)))
            .OrderBy(f => f.At);
        foreach (var (at, isRedis) in schedule)
        {
            try
            {
                await Task.Delay(at - clock.Elapsed is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (isRedis)
            {
                await RedisOutageAsync(stop);
            }
            else
            {
                await RestartGeneratorAsync();
            }
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private IEnumerable<TimeSpan> Times(TimeSpan every, double phase)
    {
        if (every <= TimeSpan.Zero)
        {
            yield break;
        }

        for (var at = every * phase; at < settings.Duration; at += every)
        {
            yield return at;
        }
    }

    private async Task RedisOutageAsync(CancellationToken stop)
    {
        redis.Stop();
        report.RedisKills++;
        log.WriteLine($"{clock.Elapsed.TotalSeconds,7:0.0} s  Redis killed (SIGKILL)");
        await Task.Delay(settings.RedisDownFor, CancellationToken.None);
        redis.Start();
        var back = Stopwatch.GetTimestamp();
        log.WriteLine($"{clock.Elapsed.TotalSeconds,7:0.0} s  Redis started again on the same port");

        // The probe: one encode after another until one succeeds. Without persistence it is a miss (the model runs).
        var probe = faces[0];
        while (Stopwatch.GetElapsedTime(back) < TimeSpan.FromSeconds(60))
        {
            try
            {
                var response = await encoderClient.EncodeIdentityAsync(probe.Request, deadline: Deadline(TimeSpan.FromSeconds(3)), cancellationToken: CancellationToken.None);
                var recovery = Stopwatch.GetElapsedTime(back);
                report.Recovered(recovery);
                report.TokenCheck();
                if (response.Identity.IdentityId != probe.IdentityId)
                {
                    report.Corrupted($"the recovery probe's encode answered {response.Identity.IdentityId}, first encode gave {probe.IdentityId}");
                }

                log.WriteLine($"{clock.Elapsed.TotalSeconds,7:0.0} s  first successful encode {recovery.TotalSeconds:0.00} s after Redis returned (cache hit: {response.CacheHit})");
                return;
            }
            catch (RpcException)
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }

        report.UnrecoveredRedisRestarts++;
        log.WriteLine($"{clock.Elapsed.TotalSeconds,7:0.0} s  no encode succeeded within 60 s of Redis returning");
    }

    private async Task RestartGeneratorAsync()
    {
        Interlocked.Increment(ref generatorIncarnation);
        log.WriteLine($"{clock.Elapsed.TotalSeconds,7:0.0} s  generator SIGTERM");
        terminating = true;
        var exit = await generator.TerminateAsync(TimeSpan.FromSeconds(60));
        report.GeneratorExited(exit);
        log.WriteLine($"{clock.Elapsed.TotalSeconds,7:0.0} s  generator exited {exit}; starting it again");
        await generator.StartAsync(TimeSpan.FromSeconds(120));
        terminating = false;
        log.WriteLine($"{clock.Elapsed.TotalSeconds,7:0.0} s  generator serving again");
    }

    /// <summary>After the last fault both services answer health, an encode and a whole generation.</summary>
    private async Task<bool> FinalCheckAsync()
    {
        try
        {
            if (!await encoder.IsServingAsync() || !await generator.IsServingAsync())
            {
                return false;
            }

            await EncodeAsync(faces[0]);
            using var call = generatorClient.Generate(GenerateRequestFor(faces[0], 7), deadline: Deadline(TimeSpan.FromSeconds(120)));
            var last = await JobStreams.LastEventAsync(call);
            report.Accepted(last.JobId);
            return last.EventCase == JobEvent.EventOneofCase.Completed;
        }
        catch (RpcException e)
        {
            log.WriteLine($"final check failed: {e.Status}");
            return false;
        }
    }

    private async Task SampleMemoryAsync(Action<FaultReport, TimeSpan>? progress, CancellationTokenSource run, CancellationToken stop)
    {
        var tick = 0;
        while (!stop.IsCancellationRequested)
        {
            if (!terminating && (encoder.Current.HasExited || generator.Current.HasExited) && report.UnexpectedExits == 0)
            {
                var crashed = encoder.Current.HasExited ? encoder : generator;
                report.UnexpectedExits++;
                report.Problem($"the {crashed.Name} process exited with code {crashed.Current.ExitCode} without being told to");
                log.WriteLine($"{clock.Elapsed.TotalSeconds,7:0.0} s  the {crashed.Name} process exited with code {crashed.Current.ExitCode} without being told to; stopping the run. Its last lines:");
                foreach (var line in (crashed.Current.Output + crashed.Current.Errors).Split('\n').TakeLast(40))
                {
                    log.WriteLine("    " + line);
                }

                await run.CancelAsync();
            }

            if (tick++ % 2 == 0)
            {
                Sample(encoder);
                Sample(generator);
            }

            progress?.Invoke(report, clock.Elapsed);
            try
            {
                await Task.Delay(1000, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Each process's RSS: the first sample once it has run a tenth of the run (20 s at least), and the latest.</summary>
    private void Sample(ServiceProcess service)
    {
        var process = service.Current;
        var bytes = service.ResidentBytes();
        if (bytes == 0 || process.HasExited)
        {
            return;
        }

        lock (memory)
        {
            var now = clock.Elapsed;
            if (!memory.TryGetValue(process.Id, out var seen))
            {
                memory[process.Id] = seen = new ProcessMemory(service, now);
            }

            // The start figure is taken once warm-up is over; until then, the first sample stands in.
            var warm = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(20).Ticks, settings.Duration.Ticks / 10));
            if (seen.Start == 0 || (!seen.Warm && (now - seen.FirstSeen >= warm || seen.Service == encoder && now >= warm)))
            {
                seen.Warm = seen.Start != 0;
                seen.Start = bytes;
                seen.StartAt = now;
            }

            seen.End = bytes;
            seen.EndAt = now;
        }
    }

    private void Memory()
    {
        Sample(encoder);
        Sample(generator);
        lock (memory)
        {
            if (memory.Values.FirstOrDefault(m => m.Service == encoder) is { } e)
            {
                report.EncoderRssStart = e.Start;
                report.EncoderRssEnd = e.End;
            }

            if (memory.Values.Where(m => m.Service == generator && m.Start > 0).MaxBy(m => m.EndAt - m.StartAt) is { } g)
            {
                report.GeneratorRssStart = g.Start;
                report.GeneratorRssEnd = g.End;
                report.GeneratorRssSpan = g.EndAt - g.StartAt;
            }
        }
    }

    private async Task ShutdownAsync()
    {
        terminating = true;
        foreach (var service in new[] { generator, encoder })
        {
            try
            {
                await service.TerminateAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException e)
            {
                log.WriteLine(e.Message);
            }
        }
    }

    /// <summary>Counts NNPACK lines, and each accepted job's outcome lines in the generators' output.</summary>
    private void ReadLogs()
    {
        var all = encoder.Incarnations.Concat(generator.Incarnations).Select(p => p.Output + p.Errors).ToList();
        report.NnpackLines = all.Sum(text => text.Split('\n').Count(l => l.Contains("Could not initialize NNPACK", StringComparison.Ordinal)));
        var outcomes = generator.Incarnations.SelectMany(p => OutcomeLine().Matches(p.Output)).GroupBy(m => m.Groups[1].Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var goneWithRedis = report.JobsLostWithRedis.ToHashSet(StringComparer.Ordinal);
        report.JobsWithoutOneOutcomeLine = report.AcceptedJobIds.Count(id => outcomes.GetValueOrDefault(id) != 1 && !goneWithRedis.Contains(id))
            + outcomes.Count(o => o.Value > 1 && !report.AcceptedJobIds.Contains(o.Key));
    }

    private void WriteServiceLogs(string? folder)
    {
        if (folder is null)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        foreach (var service in new[] { encoder, generator })
        {
            for (var i = 0; i < service.Incarnations.Count; i++)
            {
                var process = service.Incarnations[i];
                File.WriteAllText(Path.Combine(folder, $"{service.Name}-{i + 1}.log"), $"stdout:\n{process.Output}\nstderr:\n{process.Errors}");
            }
        }
    }

    [GeneratedRegex(@"Job (job_[0-9a-f]+) (?:completed|cancelled|failed) ")]
    private static partial Regex OutcomeLine();

    private async Task<T> CallAsync<T>(string rpc, Func<Task<T>> call)
    {
        report.Request(rpc);
        try
        {
            return await call();
        }
        catch (RpcException e)
        {
            report.Error(rpc, e.StatusCode);
            throw;
        }
    }

    private static async Task TryAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException)
        {
        }
    }

    private GenerateRequest GenerateRequestFor(Face face, ulong seed)
    {
        var request = new GenerateRequest
        {
            Prompt = "a character talks", NumFrames = 4, Width = 32, Height = 32, Steps = (uint)settings.Steps, Seed = seed,
            Preview = new PreviewOptions { EveryNSteps = 4 },
        };
        request.Characters.Add(new Character { IdentityId = face.IdentityId });
        return request;
    }

    private static DateTime Deadline(TimeSpan after) => DateTime.UtcNow + after;

    public async ValueTask DisposeAsync()
    {
        generator.Dispose();
        encoder.Dispose();
        await redis.DisposeAsync();
    }

    private sealed record Face(int Index, EncodeIdentityRequest Request, string IdentityId, Contracts.Common.V1.Tensor Tokens);

    private sealed class ProcessMemory(ServiceProcess service, TimeSpan firstSeen)
    {
        public ServiceProcess Service { get; } = service;

        public TimeSpan FirstSeen { get; } = firstSeen;

        public long Start { get; set; }

        public bool Warm { get; set; }

        public TimeSpan StartAt { get; set; }

        public long End { get; set; }

        public TimeSpan EndAt { get; set; }
    }
}
