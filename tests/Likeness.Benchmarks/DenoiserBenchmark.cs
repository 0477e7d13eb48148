using System.Diagnostics;
using System.Globalization;
using Likeness.Model.Generation;
using Likeness.Model.Runtime;
using Likeness.Testing;
using static TorchSharp.torch;

namespace Likeness.Benchmarks;

/// <summary>
/// The shipped denoiser's call at the default clip, TorchSharp against its PyTorch reference (Debian's python3-torch,
/// same weights, same inputs, same thread count, in alternating rounds of the same run): time per call, the ratio, and
/// the largest difference between their predictions. Then, in TorchSharp, two jobs' guidance batches as one call of
/// batch 4 against two calls of batch 2: whether the device would serve two queued jobs faster together, and how far a
/// batched job's prediction moves from its prediction alone.
/// </summary>
internal static class DenoiserBenchmark
{
    /// <summary>Rounds of TorchSharp then PyTorch calls.</summary>
    private const int Rounds = 3;

    public static async Task RunAsync(int calls, int frames, int size)
    {
        TorchRuntime.EnsureLoaded();
        var manifest = Repository.PathOf("models/video.manifest.json");
        using var video = LoadedVideoModel.FromManifest(manifest, CPU);
        var threads = get_num_threads();
        Console.WriteLine($"video model {video.ModelId}: {video.Config.Blocks} blocks × width {video.Config.Width}; " +
            $"one guidance step at {frames} frames of {size}×{size} (batch 2), {threads} threads, {Environment.ProcessorCount} cores");

        var inputs = PyTorchReference.Inputs(video.Config, frames, size, seed: 1);
        try
        {
            // Rounds alternate the two, so a change in the machine's load between them weighs on both alike.
            var torchSharp = new Latency($"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3)}");
            var pyTorchTimes = new List<double>();
            var (difference, version) = (0f, "");
            for (var round = 0; round < Rounds; round++)
            {
                using var ours = PyTorchReference.Predict(video.Module, inputs, call => Timed(call, calls, torchSharp));
                var (theirs, times, torchVersion) = await PyTorchReference.RunAsync(manifest, inputs, threads, calls);
                using (theirs)
                using (NewDisposeScope())
                {
                    difference = Math.Max(difference, (ours - theirs).abs().max().item<float>());
                }

                pyTorchTimes.AddRange(times);
                version = torchVersion;
            }

            var pyTorch = new Latency($"PyTorch {version} (Debian)");
            pyTorchTimes.ForEach(ms => pyTorch.Add(TimeSpan.FromMilliseconds(ms)));
            Console.WriteLine();
            Console.WriteLine(Latency.Header);
            Console.WriteLine(torchSharp.Row());
            Console.WriteLine(pyTorch.Row());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PyTorch / TorchSharp (p50)         {pyTorch.Percentile(50) / torchSharp.Percentile(50),10:0.00}x"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max |TorchSharp − PyTorch|         {difference,10:E2}"));

            // Two queued jobs: each step is a batch of 2 (guidance); together, one call of batch 4.
            using var inference = inference_mode();
            using var scope = NewDisposeScope();
            var text = video.Module.EncodeText(inputs["text_ids"]);
            var identity = video.Module.IdentityBank.Build([inputs["character_tokens"][0]], inputs["regions"], inputs["strengths"]);
            var two = identity with { Weight = cat([identity.Weight, zeros_like(identity.Weight)], 0) };
            var four = two with { Weight = cat([two.Weight, two.Weight], 0) };
            var (noisy4, time4, text4) = (cat([inputs["noisy"], inputs["noisy"]], 0), cat([inputs["timesteps"], inputs["timesteps"]], 0), cat([text, text], 0));
            var separate = new Latency("2 jobs: 2 calls of batch 2");
            var together = new Latency("2 jobs: 1 call of batch 4");
            for (var i = 0; i <= calls; i++)   // the first round warms up
            {
                var started = Stopwatch.GetTimestamp();
                video.Module.call(inputs["noisy"], inputs["timesteps"], text, two).Dispose();
                video.Module.call(inputs["noisy"], inputs["timesteps"], text, two).Dispose();
                var middle = Stopwatch.GetTimestamp();
                video.Module.call(noisy4, time4, text4, four).Dispose();
                if (i > 0)
                {
                    separate.Add(Stopwatch.GetElapsedTime(started, middle));
                    together.Add(Stopwatch.GetElapsedTime(middle));
                }
            }

            using var alone = video.Module.call(inputs["noisy"], inputs["timesteps"], text, two);
            using var batched = video.Module.call(noisy4, time4, text4, four);
            var batchingDifference = (batched[0..2] - alone).abs().max().item<float>();
            Console.WriteLine();
            Console.WriteLine(Latency.Header);
            Console.WriteLine(separate.Row());
            Console.WriteLine(together.Row());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one call / separate calls (p50)    {together.Percentile(50) / separate.Percentile(50),10:0.00}x"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max |batched − alone| (same job)    {batchingDifference,10:E2}"));
        }
        finally
        {
            foreach (var tensor in inputs.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Three warm-up calls, then <paramref name="calls"/> timed ones into <paramref name="times"/>; returns the last result.</summary>
    private static Tensor Timed(Func<Tensor> call, int calls, Latency times)
    {
        var result = call();
        for (var i = 0; i < 2; i++)
        {
            result.Dispose();
            result = call();
        }

        for (var i = 0; i < calls; i++)
        {
            result.Dispose();
            var started = Stopwatch.GetTimestamp();
            result = call();
            times.Add(Stopwatch.GetElapsedTime(started));
        }

        return result;
    }
}
