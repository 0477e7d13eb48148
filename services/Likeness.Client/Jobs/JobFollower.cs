using System.Globalization;
using System.Text.Json.Nodes;
using Grpc.Core;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;
using Likeness.Media;
using Spectre.Console;

namespace Likeness.Client.Jobs;

/// <summary>
/// Follows one job's event stream, for <c>likeness generate</c>, <c>likeness watch</c> and the demo: progress for a
/// person (or one JSON line per event), previews and frames written as they arrive, and at the end the clip, the
/// consistency report and a summary of both.
/// </summary>
/// <param name="directory">Where to write; null = <c>out/&lt;job id&gt;</c>.</param>
public sealed class JobFollower(Output output, string? directory, ClipKind clip)
{
    private readonly JobProgress progress = new(quiet: output.Json);
    private readonly SortedDictionary<uint, byte[]> frames = [];
    private Started? started;
    private Action? summary;

    /// <summary>Names to print for identities in the summary, instead of their ids.</summary>
    public IReadOnlyDictionary<string, string> Names { get; init; } = new Dictionary<string, string>();

    public string? JobId { get; private set; }

    /// <summary>The final state, once the stream has ended.</summary>
    public JobState State { get; private set; } = JobState.Unspecified;

    public string Reason { get; private set; } = "";

    /// <summary>Reads events until the job ends or <paramref name="cancellationToken"/> stops the reading.</summary>
    /// <exception cref="RpcException">The stream failed before the job ended.</exception>
    public async Task FollowAsync(IAsyncStreamReader<JobEvent> events, CancellationToken cancellationToken)
    {
        await progress.RunAsync(async () =>
        {
            try
            {
                while (await events.MoveNext(cancellationToken))
                {
                    await OnEventAsync(events.Current);
                }
            }
            catch (RpcException) when (State is JobState.Cancelled or JobState.Failed && !cancellationToken.IsCancellationRequested)
            {
                // The stream of a job that ended without completing closes with the matching status after its Ended event.
            }
        });

        // Printed once the progress display has ended, so stdout never writes through a live bar on stderr.
        summary?.Invoke();
    }

    private async Task OnEventAsync(JobEvent jobEvent)
    {
        if (JobId is null)
        {
            JobId = jobEvent.JobId;
            directory ??= Path.Combine("out", JobId);
            Directory.CreateDirectory(Path.Combine(directory, "frames"));
            Directory.CreateDirectory(Path.Combine(directory, "previews"));
            progress.Note($"Job {JobId} → {directory}");
        }

        var files = new List<string>();
        switch (jobEvent.EventCase)
        {
            case JobEvent.EventOneofCase.Queued:
                State = JobState.Queued;
                progress.Queued(jobEvent.Queued.Position);
                break;
            case JobEvent.EventOneofCase.Started:
                State = JobState.Running;
                started = jobEvent.Started;
                var where = started.Generator.Length > 0 ? $" on {started.Generator}" : "";
                var rerun = started.Attempt <= 1 ? ""
                    : started.FirstChunk > 0 ? $"; attempt {started.Attempt}, going on from chunk {started.FirstChunk}: {started.RestartReason}"
                    : $"; attempt {started.Attempt}, run again from the start: {started.RestartReason}";
                var chunks = started.TotalChunks > 1 || started.TotalShots > 1 ? $" in {started.TotalChunks} chunks, {started.TotalShots} shot(s)" : "";
                progress.Note(string.Create(CultureInfo.InvariantCulture,
                    $"Started: {started.NumFrames} frames of {started.Width}×{started.Height}{chunks}, {started.Steps} steps, seed {started.Seed}, model {started.Model.ModelId}{(started.Model.Untrained ? " (UNTRAINED)" : "")}{where}{rerun}"));
                foreach (var character in started.Characters)
                {
                    progress.Note(string.Create(CultureInfo.InvariantCulture,
                        $"  {Names.GetValueOrDefault(character.IdentityId, character.IdentityId)}: strength {character.IdentityStrength:0.##}, region {RegionText(character.Region, character.DefaultRegion)}"));
                }

                break;
            case JobEvent.EventOneofCase.Step:
                progress.Step(jobEvent.Step, frames.Count, started?.NumFrames ?? 0);
                break;
            case JobEvent.EventOneofCase.Preview:
                var images = jobEvent.Preview.Images;
                for (var i = 0; i < images.Count; i++)
                {
                    var chunk = started?.TotalChunks > 1 ? $"chunk-{jobEvent.Preview.Chunk:000}-" : "";
                    var name = images.Count == 1 ? $"{chunk}step-{jobEvent.Preview.Step:000}.png" : $"{chunk}step-{jobEvent.Preview.Step:000}-frame-{jobEvent.Preview.FirstFrame + i:000}.png";
                    files.Add(await WriteAsync(Path.Combine(directory!, "previews", name), images[i].Data.ToByteArray()));
                }

                break;
            case JobEvent.EventOneofCase.Frame:
                files.Add(await OnFrameAsync(jobEvent.Frame));
                break;
            case JobEvent.EventOneofCase.Completed:
                State = JobState.Completed;
                files.AddRange(await OnCompletedAsync(jobEvent.Completed));
                break;
            case JobEvent.EventOneofCase.Ended:
                State = jobEvent.Ended.State;
                Reason = jobEvent.Ended.Reason;
                progress.Note($"Job {JobId} {JobStates.Name(State)}: {Reason}");
                break;
        }

        output.Emit(() => Describe(jobEvent, files));
    }

    private async Task<string> OnFrameAsync(Frame frame)
    {
        var image = frame.Image;
        var path = Path.Combine(directory!, "frames", $"frame-{frame.Index:000}.png");
        if (image.Format == ImageFormat.Rgb8)
        {
            frames[frame.Index] = image.Data.ToByteArray();
            return await WriteAsync(path, FrameImages.Png(frames[frame.Index], (int)image.Width, (int)image.Height));
        }

        var png = image.Data.ToByteArray();
        frames[frame.Index] = FrameImages.DecodeRgb(png).Rgb;
        return await WriteAsync(path, png);
    }

    private async Task<IReadOnlyList<string>> OnCompletedAsync(Completed completed)
    {
        var report = await WriteAsync(Path.Combine(directory!, "report.json"), Output.ToJson(completed).ToJsonString(new() { WriteIndented = true }));
        string? clipPath = null;
        if (started is not null && frames.Count == started.NumFrames)
        {
            clipPath = await ClipFile.WriteAsync(directory!, clip, frames.Values.ToList(), (int)started.Width, (int)started.Height, (int)completed.Fps);
        }
        else
        {
            progress.Note("No clip: not every frame of the job was received (watching from a later event).");
        }

        summary = () => Summarise(completed, report, clipPath);
        return clipPath is null ? [report] : [report, clipPath];
    }

    private void Summarise(Completed completed, string report, string? clipPath)
    {
        output.Say(string.Create(CultureInfo.InvariantCulture, $"Completed {JobId} in {completed.Timings.Total.ToTimeSpan().TotalSeconds:0.0} s, seed {completed.Seed}"));
        var characters = completed.Report.Characters;
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("Character", "FaceSim", "Drift", "Identity loss", "Leakage");
        for (var c = 0; c < characters.Count; c++)
        {
            var character = characters[c];
            table.AddRow(
                Markup.Escape(Names.GetValueOrDefault(character.IdentityId, character.IdentityId)),
                Figure(character.MeanSimilarity), Figure(character.Drift), Figure(character.IdentityLoss),
                characters.Count > 1 ? Figure(character.MaxLeakage(c)) : "–");
        }

        output.Show(table);
        if (completed.Report.Chunks.Count > 1)
        {
            SummariseChunks(completed.Report);
        }

        output.Say("Regions:  " + string.Join("; ", characters.Select(c =>
            $"{Names.GetValueOrDefault(c.IdentityId, c.IdentityId[..Math.Min(8, c.IdentityId.Length)])} {RegionText(c.Region, c.DefaultRegion)}")));
        if (completed.Report.Untrained)
        {
            output.Say("  (untrained models: these numbers carry no meaning)");
        }

        output.Say($"Frames:   {Path.Combine(directory!, "frames")}");
        output.Say($"Previews: {Path.Combine(directory!, "previews")}");
        output.Say($"Report:   {report}");
        if (clipPath is not null)
        {
            output.Say($"Clip:     {clipPath}");
        }
    }

    /// <summary>For a clip of several chunks: FaceSim in the first and the last chunk, and how the seams compare with the change inside chunks.</summary>
    private void SummariseChunks(ConsistencyReport report)
    {
        foreach (var character in report.Characters.Where(c => c.Chunks.Count > 1))
        {
            output.Say(string.Create(CultureInfo.InvariantCulture,
                $"Chunks:   {Names.GetValueOrDefault(character.IdentityId, character.IdentityId[..Math.Min(8, character.IdentityId.Length)])} FaceSim {character.Chunks[0].FaceSim:0.000} in the first chunk, {character.Chunks[^1].FaceSim:0.000} in the last"));
        }

        var seams = report.Chunks.Where(c => c.SeamChange > 0).Select(c => c.SeamChange).ToList();
        var inside = report.Chunks.Where(c => c.Frames > 1).Select(c => c.InnerChange).DefaultIfEmpty(0).Average();
        output.Say(seams.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"Seams:    none (every chunk starts a cut); motion {report.MotionAmplitude:0.0000}")
            : string.Create(CultureInfo.InvariantCulture,
                $"Seams:    change {seams.Average():0.0000} across seams, {inside:0.0000} between frames inside chunks ({(inside > 0 ? seams.Average() / inside : 0):0.00}×); motion {report.MotionAmplitude:0.0000}"));
    }

    private static string Figure(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A region as <c>x,y,w,h</c> (the first keyframe's box when it moves), and whether the server chose it.</summary>
    private static string RegionText(Contracts.Generation.V1.Region? region, bool byDefault)
    {
        var box = region?.Keyframes.FirstOrDefault()?.Box ?? region?.Box;
        var text = box is null ? "whole frame" : string.Create(CultureInfo.InvariantCulture, $"{box.X:0.###},{box.Y:0.###},{box.Width:0.###},{box.Height:0.###}");
        var moving = region?.Keyframes.Count > 1 ? " moving" : "";
        return byDefault ? $"{text} (default framing)" : text + moving;
    }

    /// <summary>The event in the proto3 JSON mapping, image bytes replaced by the files they were written to.</summary>
    private static JsonNode Describe(JobEvent jobEvent, List<string> files)
    {
        var copy = jobEvent.Clone();
        foreach (var image in copy.Preview?.Images ?? [])
        {
            image.Data = Google.Protobuf.ByteString.Empty;
        }

        copy.Frame?.Image?.Data = Google.Protobuf.ByteString.Empty;
        var document = Output.ToJson(copy);
        if (files.Count > 0)
        {
            document["files"] = new JsonArray([.. files.Select(f => JsonValue.Create(f))]);
        }

        return document;
    }

    private static async Task<string> WriteAsync(string path, byte[] bytes)
    {
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    private static async Task<string> WriteAsync(string path, string text)
    {
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
