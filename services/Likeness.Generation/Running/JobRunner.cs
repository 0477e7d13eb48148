using System.Diagnostics;
using Likeness.Generation.Board;
using Likeness.Generation.Consistency;
using Likeness.Generation.Requests;
using Likeness.Identity.Regions;
using Likeness.Media;
using Likeness.Model.Generation;
using Likeness.Model.Identity;

namespace Likeness.Generation.Running;

/// <summary>Runs one job on the device: denoise with progress and previews, then frames, then the consistency report.</summary>
public sealed class JobRunner(LoadedVideoModel video, LoadedIdentityModel identity, GenerationMetrics metrics)
{
    /// <summary>
    /// Runs to completion, publishing every event; cancellation ends the job within one step. The device thread only
    /// samples, decodes and scores: previews and frames are PNG-encoded and published by an <see cref="EventPump"/>,
    /// in order, and the run returns once the last of them is published.
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
        var start = new StartedEvent(job.Seed, video.ModelId, video.Untrained, request.Frames, request.Width, request.Height, request.Steps)
        {
            Attempt = job.Attempt,
            RestartReason = job.RestartReason,
            Generator = job.Generator,
            Characters = request.Characters,
        };
        pump.Post(() => start);
        int rows = request.Height / video.Config.PatchSize, columns = request.Width / video.Config.PatchSize;
        var sampling = new SamplingRequest
        {
            Frames = request.Frames,
            Height = request.Height,
            Width = request.Width,
            Steps = request.Steps,
            GuidanceScale = request.GuidanceScale,
            Seed = job.Seed,
            Prompt = request.Prompt,
            Characters = job.Characters
                .Select(c => new SamplingCharacter(c.Tokens, c.Request.Strength, RegionRasterizer.Rasterize(c.Request.Region, request.Frames, rows, columns)))
                .ToList(),
            PreviewAt = step => request.Preview.EveryNSteps > 0 && (step % request.Preview.EveryNSteps == 0 || step == request.Steps),
        };

        var denoiseStarted = Stopwatch.GetTimestamp();
        var values = video.Sample(sampling, step => OnStep(pump, job, step), job.CancellationToken);
        var denoise = Stopwatch.GetElapsedTime(denoiseStarted);

        var decodeStarted = Stopwatch.GetTimestamp();
        var clip = new ClipFrames(values, request.Frames, request.Height, request.Width);
        for (var f = 0; f < clip.Frames; f++)
        {
            job.CancellationToken.ThrowIfCancellationRequested();
            var (index, rgb) = (f, clip.Rgb8(f));
            pump.Post(() => new FrameEvent(index, request.FrameEncoding == FrameEncoding.Png ? FrameImages.Png(rgb, clip.Width, clip.Height) : rgb, request.FrameEncoding, clip.Width, clip.Height));
        }

        var decode = Stopwatch.GetElapsedTime(decodeStarted);
        var reportStarted = Stopwatch.GetTimestamp();
        var report = ConsistencyScorer.Score(clip, job.Characters, identity, untrained: video.Untrained || identity.Untrained);
        var reportTime = Stopwatch.GetElapsedTime(reportStarted);

        var timings = new JobTimings(
            Queued: dequeuedAt - job.CreatedAt,
            LoadIdentities: job.LoadIdentitiesTime,
            Denoise: denoise,
            DecodeFrames: decode,
            Report: reportTime,
            Total: (dequeuedAt - job.CreatedAt) + job.LoadIdentitiesTime + Stopwatch.GetElapsedTime(started));
        pump.Post(() => new CompletedEvent(job.Seed, timings, report, request.Fps));
    }

    private void OnStep(EventPump pump, IJobRun job, SamplingStep step)
    {
        metrics.Step(step.Elapsed);
        var remaining = step.TotalSteps - step.Step;
        var progress = new StepEvent(step.Step, step.TotalSteps, step.Elapsed, step.Elapsed * remaining);
        pump.Post(() => progress);
        if (step.CleanEstimate is { } estimate)
        {
            // A preview still waiting when the job is cancelled is dropped rather than encoded.
            pump.Post(() => job.CancellationToken.IsCancellationRequested ? null : new PreviewEvent(step.Step, Previews(job.Request, estimate)));
        }
    }

    private static List<byte[]> Previews(GenerationRequest request, float[] estimate)
    {
        var clip = new ClipFrames(estimate, request.Frames, request.Height, request.Width);
        var frames = Enumerable.Range(0, clip.Frames).Select(clip.Rgb8).ToList();
        var side = request.Preview.MaxSide;
        return request.Preview.ContactSheet
            ? [FrameImages.ContactSheet(frames, clip.Width, clip.Height, side, effort: PngEffort.Fastest)]
            : frames.Select(rgb => FrameImages.Png(rgb, clip.Width, clip.Height, side, PngEffort.Fastest)).ToList();
    }
}
