using Grpc.Core;
using Likeness.Contracts.Generation.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Testing;

namespace Likeness.Deployment.Tests.Cluster;

/// <summary>Three generator processes sharing one queue and one job board in a real Redis: any pod serves any call.</summary>
[Collection(ServiceProcessesCollection.Name)]
public sealed class ClusterTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => cluster.EnsureAllServingAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task BurstSentToOnePod_IsServedByAllPods_AndAnotherPodWatchesAndGets()
    {
        var calls = Enumerable.Range(0, 6).Select(i => cluster.Client(0).Generate(Request(seed: (ulong)(100 + i), steps: 40))).ToList();

        var runs = await Task.WhenAll(calls.Select(CollectAsync));

        var ranOn = runs.Select(events => Started(events).Generator).ToList();
        Assert.All(runs, events => Assert.Equal(JobEvent.EventOneofCase.Completed, events[^1].EventCase));
        Assert.Equal(ClusterFixture.Pods, ranOn.Distinct().Count());
        var queued = runs.Select(events => events[0].Queued.Position).ToList();
        Assert.Contains(queued, position => position > 0);

        // Another pod replays every job's log with the same sequence numbers, and reports its state.
        foreach (var events in runs)
        {
            var jobId = events[0].JobId;
            using var watch = cluster.Client(2).WatchJob(new WatchJobRequest { JobId = jobId });
            var replay = await CollectAsync(watch);
            Assert.Equal(events.Select(e => (e.Sequence, e.EventCase)), replay.Select(e => (e.Sequence, e.EventCase)));
            Assert.Equal(Enumerable.Range(1, events.Count).Select(n => (ulong)n), events.Select(e => e.Sequence));
            var status = await cluster.Client(1).GetJobAsync(new GetJobRequest { JobId = jobId });
            Assert.Equal(JobState.Completed, status.State);
            Assert.Equal(events[^1].Sequence, status.LastSequence);
        }
    }

    [Fact]
    public async Task Cancel_ThroughAnotherPod_StopsTheRunningJobWithinOneStep()
    {
        using var call = cluster.Client(0).Generate(LongRequest(seed: 7));
        var events = await ReadThroughStepAsync(call, 2);

        var runner = ClusterFixture.PodNamed(Started(events).Generator);
        var elsewhere = (runner + 1) % ClusterFixture.Pods;
        // The server's step when the cancel is sent: the stream may still hold steps this client has not read yet.
        var stepAtCancel = (await cluster.Client(elsewhere).GetJobAsync(new GetJobRequest { JobId = events[0].JobId })).Step;
        var answer = await cluster.Client(elsewhere).CancelJobAsync(new CancelJobRequest { JobId = events[0].JobId });
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                events.Add(call.ResponseStream.Current);
            }
        });

        Assert.Equal(JobState.Cancelled, answer.State);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        var lastStep = events.Where(e => e.EventCase == JobEvent.EventOneofCase.Step).Max(e => e.Step.Step);
        Assert.True(lastStep <= stepAtCancel + 2, $"The job was at step {stepAtCancel} when cancelled and ran to step {lastStep}.");
        Assert.Equal(JobState.Cancelled, events[^1].Ended.State);
    }

    [Fact]
    public async Task KilledPod_ItsJobIsTakenOverAndCompletesElsewhere_WithIdenticalFrames_Once()
    {
        var reference = await CollectAsync(cluster.Client(1).Generate(Request(seed: 42, steps: 60)));
        using var call = cluster.Client(0).Generate(Request(seed: 42, steps: 60));
        var before = await ReadThroughStepAsync(call, 3);

        var jobId = before[0].JobId;
        var victim = ClusterFixture.PodNamed(Started(before).Generator);
        await cluster.Generators[victim].Current.SignalAsync("KILL");
        var watcher = cluster.Client((victim + 1) % ClusterFixture.Pods);
        using var watch = watcher.WatchJob(new WatchJobRequest { JobId = jobId, AfterSequence = before[^1].Sequence }, deadline: DateTime.UtcNow.AddSeconds(60));
        var after = await CollectAsync(watch);

        var restarted = after.First(e => e.EventCase == JobEvent.EventOneofCase.Started).Started;
        Assert.Equal(2u, restarted.Attempt);
        Assert.NotEqual($"pod-{victim}", restarted.Generator);
        Assert.Contains($"pod pod-{victim} stopped renewing its claim", restarted.RestartReason, StringComparison.Ordinal);
        Assert.Equal(JobEvent.EventOneofCase.Completed, after[^1].EventCase);
        Assert.Equal(Frames(reference), Frames(after));

        // The whole log, from any pod: one completion, sequence numbers without a gap.
        var log = await CollectAsync(watcher.WatchJob(new WatchJobRequest { JobId = jobId }));
        Assert.Single(log, e => e.EventCase == JobEvent.EventOneofCase.Completed);
        Assert.Equal(Enumerable.Range(1, log.Count).Select(n => (ulong)n), log.Select(e => e.Sequence));
        Assert.Equal(JobState.Completed, (await watcher.GetJobAsync(new GetJobRequest { JobId = jobId })).State);
    }

    [Fact]
    public async Task KilledPodDuringALongClip_TheJobGoesOnFromItsLastFinishedChunk_WithTheFramesAndReportOfAnUninterruptedRun()
    {
        var request = Request(seed: 43, steps: 30);
        (request.NumFrames, request.Seconds) = (0, 12); // 96 frames at 8 fps: 8 chunks of the 16-frame window
        var reference = await CollectAsync(cluster.Client(1).Generate(request));
        using var call = cluster.Client(0).Generate(request);
        var before = new List<JobEvent>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None) && before.Count(e => e.EventCase == JobEvent.EventOneofCase.ChunkFinished) < 2)
        {
            before.Add(call.ResponseStream.Current);
        }

        var victim = ClusterFixture.PodNamed(Started(before).Generator);
        await cluster.Generators[victim].Current.SignalAsync("KILL");
        var watcher = cluster.Client((victim + 1) % ClusterFixture.Pods);
        using var watch = watcher.WatchJob(new WatchJobRequest { JobId = before[0].JobId, AfterSequence = before[^1].Sequence }, deadline: DateTime.UtcNow.AddSeconds(90));
        var after = await CollectAsync(watch);

        var restarted = after.First(e => e.EventCase == JobEvent.EventOneofCase.Started).Started;
        var finishedBefore = after.Concat(before).Where(e => e.EventCase == JobEvent.EventOneofCase.ChunkFinished && e.Sequence < after.First(x => x.EventCase == JobEvent.EventOneofCase.Started).Sequence)
            .Max(e => e.ChunkFinished.Chunk);
        Assert.Equal((2u, 8u), (restarted.Attempt, restarted.TotalChunks));
        Assert.Equal(finishedBefore + 1, restarted.FirstChunk);
        Assert.Contains($"goes on after its {restarted.FirstChunk} finished chunks", restarted.RestartReason, StringComparison.Ordinal);
        Assert.DoesNotContain(after.SkipWhile(e => e.EventCase != JobEvent.EventOneofCase.Started), e => e.EventCase == JobEvent.EventOneofCase.Frame && e.Frame.Chunk < restarted.FirstChunk);
        Assert.Equal(JobEvent.EventOneofCase.Completed, after[^1].EventCase);

        // Every frame as last sent (a chunk cut short by the kill is sent again, the same) equals the uninterrupted run's.
        var frames = new SortedDictionary<uint, byte[]>();
        foreach (var frame in before.Concat(after).Where(e => e.EventCase == JobEvent.EventOneofCase.Frame).Select(e => e.Frame))
        {
            frames[frame.Index] = frame.Image.Data.ToByteArray();
        }

        Assert.Equal(Frames(reference), frames.Values);
        Assert.Equal(reference[^1].Completed.Report.Characters[0].FrameSimilarity, after[^1].Completed.Report.Characters[0].FrameSimilarity);
        Assert.Equal(reference[^1].Completed.Report.Chunks, after[^1].Completed.Report.Chunks);
    }

    [Fact]
    public async Task PodsKilledOnEveryAttempt_TheJobEndsFailedWithTheReason_AndItsWatchersSeeIt()
    {
        using var call = cluster.Client(0).Generate(LongRequest(seed: 77));
        var events = await ReadThroughStepAsync(call, 2);
        var jobId = events[0].JobId;
        var first = ClusterFixture.PodNamed(Started(events).Generator);
        await cluster.Generators[first].Current.SignalAsync("KILL");
        var watcher = cluster.Client(Enumerable.Range(0, ClusterFixture.Pods).First(p => p != first));
        using var watch = watcher.WatchJob(new WatchJobRequest { JobId = jobId, AfterSequence = events[^1].Sequence }, deadline: DateTime.UtcNow.AddSeconds(90));
        var second = -1;
        while (await watch.ResponseStream.MoveNext(CancellationToken.None))
        {
            if (watch.ResponseStream.Current.EventCase == JobEvent.EventOneofCase.Started)
            {
                second = ClusterFixture.PodNamed(watch.ResponseStream.Current.Started.Generator);
                break;
            }
        }

        // The second attempt's pod is killed too (Cluster:MaxAttempts is 2): the third pod ends the job.
        Assert.NotEqual(-1, second);
        await cluster.Generators[second].Current.SignalAsync("KILL");
        var survivor = Enumerable.Range(0, ClusterFixture.Pods).Single(p => p != first && p != second);
        using var last = cluster.Client(survivor).WatchJob(new WatchJobRequest { JobId = jobId, AfterSequence = events[^1].Sequence }, deadline: DateTime.UtcNow.AddSeconds(90));
        var error = await Assert.ThrowsAsync<RpcException>(() => CollectAsync(last));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains($"pod pod-{second} stopped renewing its claim on attempt 2", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("the most Cluster:MaxAttempts allows", error.Status.Detail, StringComparison.Ordinal);
        var status = await cluster.Client(survivor).GetJobAsync(new GetJobRequest { JobId = jobId });
        Assert.Equal(JobState.Failed, status.State);
    }

    [Fact]
    public async Task IdentityDeletedWhileItsJobWaits_TheJobRunsWithTheTokensItWasAdmittedWith()
    {
        var encoder = new IdentityEncoder.IdentityEncoderClient(cluster.Encoder.Channel);
        var encode = new EncodeIdentityRequest { References = { new Contracts.Common.V1.Image { Data = Google.Protobuf.ByteString.CopyFrom(TestImages.Face(901)) } } };
        var identity = (await encoder.EncodeIdentityAsync(encode)).Identity.IdentityId;
        var blockers = Enumerable.Range(0, ClusterFixture.Pods).Select(i => cluster.Client(i).Generate(LongRequest(seed: (ulong)(500 + i)))).ToList();
        var running = await Task.WhenAll(blockers.Select(call => ReadThroughStepAsync(call, 1)));
        var request = Request(seed: 501, steps: 8u);
        request.Characters.Add(new Character { IdentityId = identity });
        using var waiting = cluster.Client(1).Generate(request);
        Assert.True(await waiting.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(JobEvent.EventOneofCase.Queued, waiting.ResponseStream.Current.EventCase);

        await encoder.DeleteIdentityAsync(new DeleteIdentityRequest { IdentityId = identity });
        foreach (var events in running)
        {
            await cluster.Client(2).CancelJobAsync(new CancelJobRequest { JobId = events[0].JobId });
        }

        var rest = await CollectAsync(waiting);
        Assert.Equal(JobEvent.EventOneofCase.Completed, rest[^1].EventCase);
        foreach (var call in blockers)
        {
            call.Dispose();
        }
    }

    [Fact]
    public async Task SigtermedPod_HandsItsJobBack_ItsStreamEndsUnavailable_AndTheJobCompletesElsewhere()
    {
        using var call = cluster.Client(0).Generate(LongRequest(seed: 9)); // longer than the 1 s drain timeout, so it is handed back
        var before = await ReadThroughStepAsync(call, 2);

        var runner = ClusterFixture.PodNamed(Started(before).Generator);
        var stopping = cluster.Generators[runner].TerminateAsync(TimeSpan.FromSeconds(30));
        var watcher = cluster.Client((runner + 1) % ClusterFixture.Pods);
        using var watch = watcher.WatchJob(new WatchJobRequest { JobId = before[0].JobId, AfterSequence = before[^1].Sequence }, deadline: DateTime.UtcNow.AddSeconds(60));
        var after = await CollectAsync(watch);

        Assert.Equal(0, await stopping);
        var restarted = after.First(e => e.EventCase == JobEvent.EventOneofCase.Started).Started;
        Assert.Contains($"pod pod-{runner} shut down", restarted.RestartReason, StringComparison.Ordinal);
        Assert.Equal(JobEvent.EventOneofCase.Completed, after[^1].EventCase);
        if (runner == 0)
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
            });
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        }
    }

    [Fact]
    public async Task SameClientRequestId_SentAtOnceToEveryPod_MakesOneJob()
    {
        var request = Request(seed: 11, steps: 8);
        request.ClientRequestId = "cluster-" + Guid.NewGuid().ToString("N");
        var calls = Enumerable.Range(0, ClusterFixture.Pods).SelectMany(pod => new[] { pod, pod })
            .Select(pod => cluster.Client(pod).Generate(request)).ToList();

        var runs = await Task.WhenAll(calls.Select(CollectAsync));

        Assert.Single(runs.Select(events => events[0].JobId).Distinct());
        Assert.All(runs, events => Assert.Equal(JobEvent.EventOneofCase.Completed, events[^1].EventCase));

        var other = request.Clone();
        other.Seed = 12;
        var conflict = await Assert.ThrowsAsync<RpcException>(() => CollectAsync(cluster.Client(2).Generate(other)));
        Assert.Equal(StatusCode.AlreadyExists, conflict.StatusCode);
    }

    [Fact]
    public async Task ClusterBound_IsResourceExhaustedOnEveryPod_OnlyWhenTheSharedQueueIsFull()
    {
        var calls = new List<AsyncServerStreamingCall<JobEvent>>();
        try
        {
            // One job running on each pod, then twelve waiting (Generator:MaxQueuedJobs), admitted through every pod in turn.
            for (var i = 0; i < ClusterFixture.Pods + 12; i++)
            {
                // Several seconds each, so that no running job ends (and lets a waiting one start) while the queue fills.
                var call = cluster.Client(i % ClusterFixture.Pods).Generate(LongRequest(seed: (ulong)(300 + i)));
                calls.Add(call);
                var wanted = i < ClusterFixture.Pods ? JobEvent.EventOneofCase.Started : JobEvent.EventOneofCase.Queued;
                while (await call.ResponseStream.MoveNext(CancellationToken.None) && call.ResponseStream.Current.EventCase != wanted)
                {
                }
            }

            foreach (var pod in Enumerable.Range(0, ClusterFixture.Pods))
            {
                var refused = await Assert.ThrowsAsync<RpcException>(() => CollectAsync(cluster.Client(pod).Generate(Request(seed: 399, steps: 4))));
                Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
                Assert.Contains("12 jobs waiting across all generators", refused.Status.Detail, StringComparison.Ordinal);
            }
        }
        finally
        {
            // Cancelled and waited for, so the next test finds the queue empty (leaving a stream cancels its job too, but
            // not before the next test may submit).
            foreach (var call in calls)
            {
                if (call.ResponseStream.Current is { } seen)
                {
                    await cluster.Client(0).CancelJobAsync(new CancelJobRequest { JobId = seen.JobId });
                }

                call.Dispose();
            }
        }
    }

    private static GenerateRequest Request(ulong seed, uint steps)
    {
        var request = new GenerateRequest
        {
            Prompt = "a character waves at the camera",
            NumFrames = 4,
            Width = 32,
            Height = 32,
            Steps = steps,
            Seed = seed,
            FrameFormat = FrameFormat.Rgb8,
        };
        return request;
    }

    private GenerateRequest Request(ulong seed, int steps)
    {
        var request = Request(seed, (uint)steps);
        request.Characters.Add(new Character { IdentityId = cluster.Identity });
        return request;
    }

    /// <summary>A job of several seconds on the tiny model: 16 frames of 64×64, 100 steps.</summary>
    private GenerateRequest LongRequest(ulong seed)
    {
        var request = Request(seed, steps: 100);
        (request.NumFrames, request.Width, request.Height) = (16, 64, 64);
        return request;
    }

    private static async Task<List<JobEvent>> CollectAsync(AsyncServerStreamingCall<JobEvent> call)
    {
        using (call)
        {
            var events = new List<JobEvent>();
            await foreach (var jobEvent in call.ResponseStream.ReadAllAsync())
            {
                events.Add(jobEvent);
            }

            return events;
        }
    }

    /// <summary>The stream's events up to and including step <paramref name="step"/>; the call stays open.</summary>
    private static async Task<List<JobEvent>> ReadThroughStepAsync(AsyncServerStreamingCall<JobEvent> call, int step)
    {
        var events = new List<JobEvent>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            events.Add(call.ResponseStream.Current);
            if (call.ResponseStream.Current.Step?.Step == step)
            {
                break;
            }
        }

        return events;
    }

    private static Started Started(IEnumerable<JobEvent> events) => events.Last(e => e.EventCase == JobEvent.EventOneofCase.Started).Started;

    private static List<byte[]> Frames(IEnumerable<JobEvent> events) =>
        events.Where(e => e.EventCase == JobEvent.EventOneofCase.Frame).Select(e => e.Frame.Image.Data.ToByteArray()).ToList();
}
