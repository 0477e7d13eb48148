using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Generation.Consistency;
using Likeness.Generation.Hosting;
using Likeness.Generation.Identities;
using Likeness.Generation.Requests;
using Likeness.Identity.Hosting;
using Likeness.Identity.Regions;
using Likeness.Media;
using Likeness.Model.Generation;
using Likeness.Testing;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace Likeness.Benchmarks;

/// <summary>
/// The generator at its default size: time per denoising step and its FLOP/s against this machine's matmul FLOP/s
/// (the roofline, measured in the same run), time to first preview, and Generate over gRPC against the same device
/// work called in-process — denoising loop, frame decode, consistency report (the streaming overhead).
/// </summary>
internal static class GenerateBenchmark
{
    public static async Task RunAsync(int runs)
    {
        await using var host = await RunningHost.StartEmbeddedAsync();
        var encode = new EncodeIdentityRequest { References = { new Image { Data = ByteString.CopyFrom(TestImages.Face(5)) } } };
        var identity = (await host.Client.EncodeIdentityAsync(encode)).Identity.IdentityId;
        var description = await host.Generator.DescribeModelAsync(new DescribeModelRequest());
        var defaults = description.Defaults;
        var video = host.Services.GetRequiredService<VideoModelHost>().Require();
        Console.WriteLine($"video model {video.ModelId} (untrained: {video.Untrained}), {video.Config.Blocks} blocks × width {video.Config.Width}, " +
            $"device {description.Device}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"default clip: {defaults.NumFrames} frames of {defaults.Width}×{defaults.Height}, {defaults.Steps} steps, guidance {defaults.GuidanceScale} (2 denoiser passes per step)");
        Console.WriteLine();

        var withPreviews = new GenerateRequest
        {
            Prompt = "a character waves",
            Seed = 1,
            Preview = new PreviewOptions { EveryNSteps = 1, MaxSide = 64 },
            Characters = { new Character { IdentityId = identity } },
        };
        var plain = withPreviews.Clone();
        plain.Preview = null;   // the default: no previews, frames as PNG

        // The same device work called in-process: the denoising loop with the same characters and previews, the frames'
        // decode and the consistency report. What Generate adds beyond it is the streaming: PNG encoding, events, gRPC.
        var identityModel = host.Services.GetRequiredService<IdentityModelHost>().Require();
        var loader = host.Services.GetRequiredService<IdentityLoader>();
        var characters = await loader.LoadAsync([new CharacterRequest(identity, defaults.IdentityStrength, RegionTrack.WholeFrame)], default);
        int frames = (int)defaults.NumFrames, size = (int)defaults.Width, grid = size / video.Config.PatchSize;
        SamplingRequest Sampling(bool previews) => new()
        {
            Frames = frames,
            Height = size,
            Width = size,
            Steps = (int)defaults.Steps,
            GuidanceScale = defaults.GuidanceScale,
            Seed = 1,
            Prompt = withPreviews.Prompt,
            Characters = [new SamplingCharacter(characters[0].Tokens, defaults.IdentityStrength, RegionRasterizer.Rasterize(RegionTrack.WholeFrame, frames, grid, grid))],
            PreviewAt = _ => previews,
        };
        Task InProcess(SamplingRequest sampling) => Task.Run(() =>
        {
            var clip = new ClipFrames(video.Sample(sampling, _ => { }, default), frames, size, size);
            var rgb = Enumerable.Range(0, clip.Frames).Select(clip.Rgb8).ToList();
            var recorder = new ConsistencyRecorder([new ShotRequest("", frames, [characters[0].Request], [0], ContinuePrevious: false)], size, size, characters, identityModel);
            recorder.Record(new ClipChunk(0, 0, 0, frames, 0, 0), rgb, before: null);
            recorder.Report(untrained: video.Untrained || identityModel.Untrained);
        });

        // Warm-up of both paths, then the matmul roofline on warm threads.
        await Drain(host.Generator.Generate(withPreviews));
        await InProcess(Sampling(previews: true));
        var roofline = MatmulFlops();

        // Each run: Generate over gRPC and the same work in-process back to back, with and without previews, so a change
        // in the machine's load weighs on both sides of each ratio alike.
        var plainGrpc = new Latency("Generate, default request");
        var plainInProcess = new Latency("  same work in-process");
        var previewGrpc = new Latency("Generate, preview every step");
        var previewInProcess = new Latency("  same work in-process");
        var firstPreview = new Latency("time to first preview");
        var steps = new Latency("denoising step");
        for (var i = 0; i < runs; i++)
        {
            await plainGrpc.MeasureAsync(() => Drain(host.Generator.Generate(plain)));
            await plainInProcess.MeasureAsync(() => InProcess(Sampling(previews: false)));
            var started = Stopwatch.GetTimestamp();
            var sawPreview = false;
            await previewGrpc.MeasureAsync(async () =>
            {
                using var call = host.Generator.Generate(withPreviews);
                await foreach (var e in call.ResponseStream.ReadAllAsync())
                {
                    if (e.EventCase == JobEvent.EventOneofCase.Preview && !sawPreview)
                    {
                        sawPreview = true;
                        firstPreview.Add(Stopwatch.GetElapsedTime(started));
                    }

                    if (e.EventCase == JobEvent.EventOneofCase.Step)
                    {
                        steps.Add(e.Step.StepTime.ToTimeSpan());
                    }
                }
            });
            await previewInProcess.MeasureAsync(() => InProcess(Sampling(previews: true)));
        }

        var stepMs = steps.Percentile(50);
        var flopsPerStep = 2 * video.FlopsPerCall(frames, size, size, characters: 1);
        var achieved = flopsPerStep / (stepMs / 1000);
        Console.WriteLine(Latency.Header);
        foreach (var latency in new[] { plainGrpc, plainInProcess, previewGrpc, previewInProcess, firstPreview })
        {
            Console.WriteLine(latency.Row());
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"denoising step (p50 of {steps.Count})   {stepMs,10:0.0} ms   {flopsPerStep / 1e9,7:0.0} GFLOP/step"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"achieved                          {achieved / 1e9,10:0.0} GFLOP/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"matmul roofline (1024² fp32)      {roofline / 1e9,10:0.0} GFLOP/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"roofline ratio                    {achieved / roofline,10:0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first preview − one step          {firstPreview.Percentile(50) - stepMs,10:0.0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"streaming overhead, default request (gRPC / in-process, p50)      {plainGrpc.Percentile(50) / plainInProcess.Percentile(50),6:0.00}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"streaming overhead, preview every step (gRPC / in-process, p50)  {previewGrpc.Percentile(50) / previewInProcess.Percentile(50),6:0.00}x"));
    }

    /// <summary>Best of several 1024×1024 fp32 matmuls on this machine, in FLOP/s.</summary>
    private static double MatmulFlops()
    {
        using var inference = inference_mode();
        using var a = randn(1024, 1024);
        using var b = randn(1024, 1024);
        for (var i = 0; i < 5; i++)
        {
            a.matmul(b).Dispose();   // warm the threads first
        }

        var best = double.MaxValue;
        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var c = a.matmul(b);
            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        return 2.0 * 1024 * 1024 * 1024 / best;
    }

    private static async Task Drain(AsyncServerStreamingCall<JobEvent> call)
    {
        using (call)
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
            }
        }
    }
}
