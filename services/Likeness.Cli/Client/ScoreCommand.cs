using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Likeness.Cli.Commands;
using Likeness.Client;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Media;
using Spectre.Console;

namespace Likeness.Cli.Client;

/// <summary>
/// <c>likeness score CLIP --ref [NAME=]IMAGE[,IMAGE…]… [--identity [NAME=]ID]…</c>: how well a clip made by any video
/// model keeps each person. Prints a table per person and per frame (or <c>--json</c>) and writes a plot. The frames are
/// read and sent one at a time; a clip longer than the encoder's frame limit is refused (exit 3), not cut short.
/// </summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var clip = new Argument<string>("clip") { Description = "A video file (read through ffmpeg), an animated GIF, or a folder of frames (sorted by name)." };
        var references = CliOptions.Repeatable("--ref",
            "One person's reference images, comma-separated, optionally named: --ref ada=a1.png,a2.jpg. Repeat for more people.");
        var identities = CliOptions.Repeatable("--identity", "A stored identity of the photo family (likeness encode --family photo), optionally named: --identity ada=ID. Repeatable.");
        var threshold = CliOptions.Real("--threshold", "Same-person threshold on the descriptor distance (default: the service's calibrated one).");
        var plot = new Option<string?>("--plot") { Description = "Where the plot goes (PNG; default <clip>-score.png in the current folder).", HelpName = "FILE" };
        return new Command("score", """
                Score how well a clip keeps each person: faces found per frame, distance to each person, FaceSim, drift, missing frames, leakage.
                People are reported (and named person 1, person 2, …) in the order their --ref and --identity options are given.
                A clip with more frames than the encoder scores (DescribeEncoder limits.max_scoring_frames, 1000 by default) is
                refused with exit code 3 rather than cut short: sample it first (e.g. ffmpeg -i CLIP -vf fps=4 frames/%04d.png).
                So is a frame larger than limits.max_reference_bytes. Video frames are shrunk to at most 2048 px on the long side.
                """)
            {
                clip, references, identities, threshold, plot,
            }
            .WithAction(parse =>
            {
                var people = People(parse, references, identities);
                var clipPath = parse.GetValue(clip)!;
                var plotPath = parse.GetValue(plot) ?? $"{Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(clipPath))}-score.png";
                return (clients, output) => RunAsync(clients, output, clipPath, people, parse.GetValue(threshold), plotPath);
            });
    }

    /// <summary>The people of <paramref name="references"/> and <paramref name="identities"/> in the order the command line gives them.</summary>
    /// <exception cref="FormatException">No person, or a person without files.</exception>
    private static List<(string Name, string[] Files, string? IdentityId)> People(ParseResult parse, Option<string[]> references, Option<string[]> identities)
    {
        var people = new List<(string, string[], string?)>();
        Option? option = null;
        foreach (var token in parse.Tokens)
        {
            // Each occurrence is an option token followed by its one value (System.CommandLine splits --ref=x the same way).
            if (token.Type == TokenType.Option)
            {
                option = new Option[] { references, identities }.FirstOrDefault(o => o.Name == token.Value || o.Aliases.Contains(token.Value));
                continue;
            }

            if (token.Type == TokenType.Argument && option == references)
            {
                var (name, value) = Named(token.Value, people.Count);
                var files = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                people.Add((name, files.Length > 0 ? files : throw new FormatException($"--ref '{token.Value}' names no image."), null));
            }
            else if (token.Type == TokenType.Argument && option == identities)
            {
                var (name, id) = Named(token.Value, people.Count);
                people.Add((name, [], id));
            }

            option = null;
        }

        return people.Count > 0 ? people : throw new FormatException("score needs at least one person: --ref IMAGE or --identity ID.");
    }

    private static (string Name, string Value) Named(string spec, int index)
    {
        var split = spec.IndexOf('=', StringComparison.Ordinal);
        return split > 0 ? (spec[..split], spec[(split + 1)..]) : ($"person {index + 1}", spec);
    }

    private static async Task<int> RunAsync(
        LikenessClients clients, Output output, string clipPath, List<(string Name, string[] Files, string? IdentityId)> people, float? threshold, string plotPath)
    {
        var limits = (await clients.Encoder.DescribeEncoderAsync(new DescribeEncoderRequest())).Limits;
        var first = new ScoringPeople();
        if (threshold is { } t)
        {
            first.Threshold = t;
        }

        foreach (var (name, files, identityId) in people)
        {
            var person = new ScoringPerson { Name = name, IdentityId = identityId ?? "" };
            foreach (var file in files)
            {
                person.References.Add(new Image { Data = ByteString.CopyFrom(await File.ReadAllBytesAsync(file)) });
            }

            first.People.Add(person);
        }

        // One frame past the limit is read only to learn that the clip is too long; it is never sent.
        var maxFrames = (int)Math.Min(limits.MaxScoringFrames, int.MaxValue - 1);
        using var stop = new CancellationTokenSource();
        using var call = clients.Encoder.ScoreConsistency(cancellationToken: stop.Token);
        var open = await TrySendAsync(call, new ScoreConsistencyRequest { People = first });
        var count = 0;
        await foreach (var frame in ClipReader.ReadAsync(clipPath, maxFrames + 1))
        {
            if (!open)
            {
                break; // the encoder has answered already (a refusal); its status comes with the response
            }

            var problem = count == maxFrames
                ? $"{clipPath} has more than {maxFrames} frames, the most the encoder scores in one clip (max_scoring_frames). Sample it first, e.g. ffmpeg -i CLIP -vf fps=4 frames/%04d.png, and score the folder."
                : (ulong)frame.Length > limits.MaxReferenceBytes
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"Frame {count} of {clipPath} is {frame.Length} bytes; the encoder takes at most {limits.MaxReferenceBytes} bytes per image (max_reference_bytes).")
                    : null;
            if (problem is not null)
            {
                await stop.CancelAsync();
                return output.Fail(ExitCodes.Rejected, StatusCode.InvalidArgument, problem);
            }

            open = await TrySendAsync(call, new ScoreConsistencyRequest { Frame = new Image { Data = ByteString.CopyFrom(frame) } });
            count++;
        }

        if (open)
        {
            await call.RequestStream.CompleteAsync();
        }

        var response = await call.ResponseAsync;
        await File.WriteAllBytesAsync(plotPath, Plot(response, clipPath));

        output.Emit(() =>
        {
            var document = Output.ToJson(response);
            document["plot"] = plotPath;
            return document;
        });
        output.Show(PeopleTable(response));
        output.Show(FrameTable(response));
        output.Say(string.Create(CultureInfo.InvariantCulture,
            $"{count} frame(s) of {clipPath}; same person below distance {response.Threshold:0.00} ({response.Model.ModelId}). Plot: {plotPath}"));
        return ExitCodes.Ok;
    }

    /// <summary>Sends one message; false when the encoder has already ended the call (its status then comes with the response).</summary>
    private static async Task<bool> TrySendAsync(AsyncClientStreamingCall<ScoreConsistencyRequest, ScoreConsistencyResponse> call, ScoreConsistencyRequest message)
    {
        try
        {
            await call.RequestStream.WriteAsync(message);
            return true;
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    private static Table PeopleTable(ScoreConsistencyResponse response)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("person", "present", "missing", "FaceSim", "drift", "identity loss", "leakage");
        foreach (var person in response.People)
        {
            table.AddRow(
                Markup.Escape(person.Name),
                $"{person.FramesPresent}/{response.Frames.Count}",
                Percent(person.MissingFraction),
                Number(person.FaceSim),
                Number(person.Drift),
                Number(person.IdentityLoss),
                Percent(person.Leakage));
        }

        return table;
    }

    private static Table FrameTable(ScoreConsistencyResponse response)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("frame").AddColumn("faces");
        foreach (var person in response.People)
        {
            table.AddColumn($"{Markup.Escape(person.Name)}: distance");
        }

        foreach (var frame in response.Frames)
        {
            var cells = new List<string> { frame.Index.ToString(CultureInfo.InvariantCulture), frame.Faces.Count.ToString(CultureInfo.InvariantCulture) };
            for (var p = 0; p < response.People.Count; p++)
            {
                var face = frame.Faces.FirstOrDefault(f => f.HasPerson && f.Person == p);
                var closest = frame.Faces.Select(f => f.Comparisons[p].Distance).DefaultIfEmpty(float.NaN).Min();
                cells.Add(face is not null
                    ? $"{Number(face.Comparisons[p].Distance)} same"
                    : float.IsNaN(closest) ? "no face" : $"[grey]{Number(closest)} missing[/]");
            }

            table.AddRow([.. cells]);
        }

        return table;
    }

    /// <summary>
    /// Per person and frame, the distance of the face assigned to them, else of the closest face (above the line: they are
    /// missing), and a gap for a frame without faces; with the threshold.
    /// </summary>
    private static byte[] Plot(ScoreConsistencyResponse response, string clipPath)
    {
        var series = response.People.Select((person, p) => new PlotSeries(person.Name, response.Frames
            .Select(frame => frame.Faces.FirstOrDefault(f => f.HasPerson && f.Person == p) is { } face
                ? face.Comparisons[p].Distance
                : frame.Faces.Count > 0 ? frame.Faces.Min(f => f.Comparisons[p].Distance) : (float?)null)
            .ToList())).ToList();
        var top = Math.Max(1.2f, response.Frames.SelectMany(f => f.Faces).SelectMany(f => f.Comparisons).Select(c => c.Distance).DefaultIfEmpty(0).Max());
        return SimilarityPlot.Png(series, response.Threshold, (0, top),
            $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(clipPath))}: distance to each person (same person below the line)",
            "descriptor distance");
    }

    private static string Number(float value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Percent(float value) => value.ToString("0%", CultureInfo.InvariantCulture);
}
