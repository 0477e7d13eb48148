using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Testing;
using Likeness.Training.Backbone;
using Likeness.Training.Evaluation;

namespace Likeness.Benchmarks;

/// <summary>
/// Long video through the embedded host's public contract, on held-out characters with the shipped models: the four
/// conditions of <see cref="LongVideoEvaluation"/>, measured by the evaluator recogniser, and how long a clip takes to
/// make against how long it plays.
/// </summary>
internal static class LongVideoBenchmark
{
    public static async Task RunAsync(LongVideoSettings settings, string output)
    {
        Directory.CreateDirectory(output);
        await using var host = await RunningHost.StartEmbeddedAsync();
        var description = await host.Generator.DescribeModelAsync(new DescribeModelRequest());
        var (evaluator, manifest) = BackboneConfig.Load(Path.Combine(AppContext.BaseDirectory, "models", "evaluator.manifest.json"));
        using (evaluator)
        {
            evaluator.eval();
            Console.WriteLine($"video model {description.Model.ModelId}, chunks of {description.ChunkFrames} frames ({description.ContextFrames} of context), " +
                $"{description.Defaults.Steps} steps, {Environment.ProcessorCount} cores; measured by {manifest.ModelId}");
            Console.WriteLine($"{settings.Characters} held-out characters, {settings.Seconds} s clips at {settings.Fps} fps");
            var identities = new Dictionary<string, string>();
            async Task<string> EncodeAsync(byte[] png)
            {
                var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(png));
                if (!identities.TryGetValue(key, out var id))
                {
                    var request = new EncodeIdentityRequest { References = { new Image { Data = ByteString.CopyFrom(png) } } };
                    identities[key] = id = (await host.Client.EncodeIdentityAsync(request)).Identity.IdentityId;
                }

                return id;
            }

            async Task<LongClip> MakeAsync(IReadOnlyList<byte[]> references, IReadOnlyList<LongShot> shots, string prompt, ulong seed)
            {
                var cast = new List<string>();
                foreach (var png in references)
                {
                    cast.Add(await EncodeAsync(png));
                }

                var request = new GenerateRequest { Prompt = prompt, Seed = seed, Fps = (uint)settings.Fps, FrameFormat = FrameFormat.Rgb8 };
                request.Characters.Add(cast.Select(id => new Character { IdentityId = id, IdentityStrength = settings.Strength }));
                request.Shots.Add(shots.Select(s => new Shot
                {
                    Seconds = s.Frames / (float)settings.Fps,
                    ContinuePrevious = s.ContinuePrevious,
                    Characters = { s.Characters.Select(c => new Character { IdentityId = cast[c], IdentityStrength = s.Strength }) },
                }));
                var started = Stopwatch.GetTimestamp();
                var frames = new SortedDictionary<uint, byte[]>();
                var chunkStarts = new List<int>();
                using var call = host.Generator.Generate(request);
                await foreach (var jobEvent in call.ResponseStream.ReadAllAsync())
                {
                    switch (jobEvent.EventCase)
                    {
                        case JobEvent.EventOneofCase.Frame:
                            frames[jobEvent.Frame.Index] = jobEvent.Frame.Image.Data.ToByteArray();
                            break;
                        case JobEvent.EventOneofCase.ChunkFinished:
                            chunkStarts.Add((int)jobEvent.ChunkFinished.FirstFrame);
                            break;
                    }
                }

                return new LongClip([.. frames.Values], chunkStarts, Stopwatch.GetElapsedTime(started));
            }

            // Warm-up, so that the first clip's time is not the model's first call.
            await MakeAsync([TestImages.Face(5)], [new LongShot(settings.Span, [0], settings.Strength, false)], "a character waves", 1);
            var report = await new LongVideoEvaluation(evaluator, settings).RunAsync(MakeAsync, output, Console.WriteLine);
            Console.WriteLine();
            Console.WriteLine(Table(report));
            Console.WriteLine($"contact sheet of the first character's Likeness clip (the first frame of every chunk): {Path.Combine(output, "long-clip.png")}");
        }
    }

    /// <summary>The report as the Markdown table docs/evaluation.md shows.</summary>
    public static string Table(LongVideoReport report)
    {
        var text = new System.Text.StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine("| condition | clips | FaceSim first 2 s | FaceSim last 1.5 s | last ÷ first | identified first | identified last | seam ÷ inside change | motion ÷ renders' | compute ÷ clip length |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in report.Rows)
        {
            text.AppendLine(invariant, $"| {row.Condition} | {row.Clips} | {row.FirstFaceSim:0.000} | {row.LastFaceSim:0.000} | {row.LastFaceSim / row.FirstFaceSim:0.00} | " +
                $"{row.FirstIdentified:0.00} | {row.LastIdentified:0.00} | {row.SeamRatio:0.00} | {row.MotionRatio:0.00} | {row.ComputePerSecond:0.00} |");
        }

        text.AppendLine();
        text.AppendLine("| shots away before returning | FaceSim of the returning shot | ÷ after 1 shot away |");
        text.AppendLine("|---:|---:|---:|");
        var afterOne = report.Returns[0].FaceSim;
        foreach (var (away, faceSim) in report.Returns)
        {
            text.AppendLine(invariant, $"| {away} | {faceSim:0.000} | {faceSim / afterOne:0.00} |");
        }

        text.AppendLine();
        text.Append(invariant, $"{report.Took.TotalMinutes:0.0} min on {Environment.ProcessorCount} cores.");
        return text.ToString();
    }
}
