using System.Diagnostics;
using Likeness.Generation.Board;
using Likeness.Generation.Consistency;
using Likeness.Generation.Requests;
using Likeness.Identity.Regions;
using Likeness.Media;
using Likeness.Model.Generation;
using Likeness.Model.Identity;
using Likeness.Model.Runtime;

namespace Likeness.Generation.Running;

/// <summary>
/// Runs one job on the device, chunk by chunk (<see cref="ClipPlan"/>): each chunk is denoised with progress and previews,
/// given the last frames before it unless it starts a cut, conditioned on its shot's identities at every step; its frames
/// are published and scored as soon as it is done, then a <see cref="ChunkFinishedEvent"/>; the consistency report
/// comes last.
/// </summary>
public sealed class JobRunner(LoadedVideoModel video, LoadedIdentityModel identity, GenerationMetrics metrics)
{
    /// <summary>
    /// Runs to completion, publishing every event; cancellation ends the job within one step. The device thread only
    /// samples, decodes and scores: previews and frames are PNG-encoded and published by an <see cref="EventPump"/>,
    /// in order, and the run returns once the last of them is published. An attempt that takes a job over goes on after
    /// the chunks an earlier attempt finished (<see cref="IJobRun.Finished"/>), with the frames an uninterrupted run makes.
    /// </summary>
    public void Run(IJobRun job, DateTimeOffset dequeuedAt)
    {
        var pump = new EventPump(job);
        try
        {
            RunOn(pump, job, dequeuedAt);
            pump.Drain();
        }
        catch
        {
            pump.Abandon();
            throw;
        }
    }

    private void RunOn(EventPump pump, IJobRun job, DateTimeOffset dequeuedAt)
    {
        var request = job.Request;
        var started = Stopwatch.GetTimestamp();
        var plan = ClipPlan.Chunks(request, job.ExtensionFrames.Count);
        var finished = job.Finished;
        var start = new StartedEvent(job.Seed, video.ModelId, video.Untrained, request.Frames, request.Width, request.Height, request.Steps)
        {
            Attempt = job.Attempt,
            RestartReason = job.RestartReason,
            Generator = job.Generator,
            Characters = request.Characters,
            TotalChunks = plan.Count,
            TotalShots = request.Shots.Count,
            FirstChunk = finished.Count,
        };
        pump.Post(() => start);

        var recorder = new ConsistencyRecorder(request.Shots, request.Height, request.Width, job.Characters, identity);
        var recent = new RecentFrames(request.Chunking.Context, job.ExtensionFrames);
        var reportTime = TimeSpan.Zero;
        foreach (var chunk in plan.Take(finished.Count))
        {
            var frames = finished.Frames.Skip(chunk.FirstFrame).Take(chunk.Frames).ToList();
            var scoring = Stopwatch.GetTimestamp();
            recorder.Record(chunk, frames, recent.Before(chunk));
            reportTime += Stopwatch.GetElapsedTime(scoring);
            recent.Add(chunk, frames);
        }

        var (denoise, decode) = (TimeSpan.Zero, TimeSpan.Zero);
        foreach (var chunk in plan.Skip(finished.Count))
        {
            var denoiseStarted = Stopwatch.GetTimestamp();
            var values = video.Sample(Sampling(job, chunk, recent), step => OnStep(pump, job, chunk, plan.Count, step), job.CancellationToken);
            denoise += Stopwatch.GetElapsedTime(denoiseStarted);

            var decodeStarted = Stopwatch.GetTimestamp();
            var clip = new ClipFrames(values, chunk.RunFrames, request.Height, request.Width);
            var made = Enumerable.Range(chunk.ContextFrames, chunk.Frames).Select(clip.Rgb8).ToList();
            for (var f = 0; f < made.Count; f++)
            {
                job.CancellationToken.ThrowIfCancellationRequested();
                var (index, rgb) = (chunk.FirstFrame + f, made[f]);
                pump.Post(() => new FrameEvent(index, request.FrameEncoding == FrameEncoding.Png ? FrameImages.Png(rgb, clip.Width, clip.Height) : rgb, request.FrameEncoding, clip.Width, clip.Height)
                {
                    Chunk = chunk.Index,
                    Shot = chunk.Shot,
                });
            }

            decode += Stopwatch.GetElapsedTime(decodeStarted);
            var scoring = Stopwatch.GetTimestamp();
            recorder.Record(chunk, made, recent.Before(chunk));
            reportTime += Stopwatch.GetElapsedTime(scoring);
            recent.Add(chunk, made);
            pump.Post(() => new ChunkFinishedEvent(chunk.Index, chunk.Shot, chunk.FirstFrame, chunk.Frames, plan.Count));
            // A chunk is a job's worth of work: return what it freed, as the worker does between jobs, so a long job's
            // resident memory stays flat (without it, a 10-minute job grew 419 → 464 MiB; bench memory-long-job).
            TorchRuntime.ReleaseFreedMemory();
        }

        var report = recorder.Report(untrained: video.Untrained || identity.Untrained);
        var timings = new JobTimings(
            Queued: dequeuedAt - job.CreatedAt,
            LoadIdentities: job.LoadIdentitiesTime,
            Denoise: denoise,
            DecodeFrames: decode,
            Report: reportTime,
            Total: (dequeuedAt - job.CreatedAt) + job.LoadIdentitiesTime + Stopwatch.GetElapsedTime(started));
        pump.Post(() => new CompletedEvent(job.Seed, timings, report, request.Fps));
    }

    /// <summary>
    /// The denoising run of <paramref name="chunk"/>: its shot's prompt and characters, each region rasterised at the
    /// shot times of the run's frames, the recent frames as context, and the chunk's own seed.
    /// </summary>
    private SamplingRequest Sampling(IJobRun job, ClipChunk chunk, RecentFrames recent)
    {
        var request = job.Request;
        var shot = request.Shots[chunk.Shot];
        int rows = request.Height / video.Config.PatchSize, columns = request.Width / video.Config.PatchSize;
        var times = Enumerable.Range(chunk.ShotOffset - chunk.ContextFrames, chunk.RunFrames).Select(shot.Time).ToList();
        return new SamplingRequest
        {
            Frames = chunk.RunFrames,
            Height = request.Height,
            Width = request.Width,
            Steps = request.Steps,
            GuidanceScale = request.GuidanceScale,
            Seed = ClipPlan.ChunkSeed(job.Seed, chunk.Index),
            Prompt = shot.Prompt,
            Characters = shot.Characters
                .Select((c, j) => new SamplingCharacter(job.Characters[shot.Cast[j]].Tokens, c.Strength, RegionRasterizer.Rasterize(c.Region, times, rows, columns)))
                .ToList(),
            Context = chunk.ContextFrames == 0 ? null : recent.Context(chunk, request.Height, request.Width),
            PreviewAt = step => request.Preview.EveryNSteps > 0 && (step % request.Preview.EveryNSteps == 0 || step == request.Steps),
        };
    }

    private void OnStep(EventPump pump, IJobRun job, ClipChunk chunk, int chunks, SamplingStep step)
    {
        metrics.Step(step.Elapsed);
        var remaining = step.TotalSteps - step.Step + ((chunks - chunk.Index - 1) * step.TotalSteps);
        var progress = new StepEvent(step.Step, step.TotalSteps, step.Elapsed, step.Elapsed * remaining) { Chunk = chunk.Index, TotalChunks = chunks };
        pump.Post(() => progress);
        if (step.CleanEstimate is { } estimate)
        {
            // A preview still waiting when the job is cancelled is dropped rather than encoded.
            pump.Post(() => job.CancellationToken.IsCancellationRequested
                ? null
                : new PreviewEvent(step.Step, Previews(job.Request, chunk, estimate)) { Chunk = chunk.Index, FirstFrame = chunk.FirstFrame });
        }
    }

    /// <summary>Preview images of the chunk's new frames (its context frames are not shown again).</summary>
    private static List<byte[]> Previews(GenerationRequest request, ClipChunk chunk, float[] estimate)
    {
        var clip = new ClipFrames(estimate, chunk.RunFrames, request.Height, request.Width);
        var frames = Enumerable.Range(chunk.ContextFrames, chunk.Frames).Select(clip.Rgb8).ToList();
        var side = request.Preview.MaxSide;
        return request.Preview.ContactSheet
            ? [FrameImages.ContactSheet(frames, clip.Width, clip.Height, side, effort: PngEffort.Fastest)]
            : frames.Select(rgb => FrameImages.Png(rgb, clip.Width, clip.Height, side, PngEffort.Fastest)).ToList();
    }
}
