using System.Diagnostics;
using Likeness.Generation.Consistency;
using Likeness.Generation.Requests;
using Likeness.Generation.Rendering;
using Likeness.Media;
using Likeness.Model.Generation;
using Likeness.Model.Identity;

namespace Likeness.Generation.Jobs;

/// <summary>Runs one job on the device: denoise with progress and previews, then frames, then the consistency report.</summary>
public sealed class JobRunner(LoadedVideoModel video, LoadedIdentityModel identity, GenerationMetrics metrics)
{
    /// <summary>Runs to completion, publishing every event; cancellation ends the job within one step.</summary>
    public void Run(IJobRun job, DateTimeOffset dequeuedAt)
    {
        var request = job.Request;
        var started = Stopwatch.GetTimestamp();
        job.Publish(new StartedEvent(job.Seed, video.ModelId, video.Untrained, request.Frames, request.Width, request.Height, request.Steps)
        {
            Attempt = job.Attempt,
            RestartReason = job.RestartReason,
            Generator = job.Generator,
        });
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
        var values = video.Sample(sampling, step => OnStep(job, step), job.CancellationToken);
        var denoise = Stopwatch.GetElapsedTime(denoiseStarted);

        var decodeStarted = Stopwatch.GetTimestamp();
        var clip = new ClipFrames(values, request.Frames, request.Height, request.Width);
        for (var f = 0; f < clip.Frames; f++)
        {
            job.CancellationToken.ThrowIfCancellationRequested();
            var rgb = clip.Rgb8(f);
            var data = request.FrameEncoding == FrameEncoding.Png ? FrameImages.Png(rgb, clip.Width, clip.Height) : rgb;
            job.Publish(new FrameEvent(f, data, request.FrameEncoding, clip.Width, clip.Height));
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
        job.Publish(new CompletedEvent(job.Seed, timings, report, request.Fps));
    }

    private void OnStep(IJobRun job, SamplingStep step)
    {
        metrics.Step(step.Elapsed);
        var remaining = step.TotalSteps - step.Step;
        job.Publish(new StepEvent(step.Step, step.TotalSteps, step.Elapsed, step.Elapsed * remaining));
        if (step.CleanEstimate is { } estimate)
        {
            job.Publish(new PreviewEvent(step.Step, Previews(job.Request, estimate)));
        }
    }

    private static List<byte[]> Previews(GenerationRequest request, float[] estimate)
    {
        var clip = new ClipFrames(estimate, request.Frames, request.Height, request.Width);
        var frames = Enumerable.Range(0, clip.Frames).Select(clip.Rgb8).ToList();
        var side = request.Preview.MaxSide;
        return request.Preview.ContactSheet
            ? [FrameImages.ContactSheet(frames, clip.Width, clip.Height, side)]
            : frames.Select(rgb => FrameImages.Png(rgb, clip.Width, clip.Height, side)).ToList();
    }
}
