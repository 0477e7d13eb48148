using System.CommandLine;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Likeness.Cli.Commands;
using Likeness.Client.Jobs;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;
using Likeness.Media;

namespace Likeness.Cli.Client;

/// <summary>
/// <c>likeness extend CLIP --identity … --seconds N</c>: continues a clip (a finished job's, or frames, a GIF or a video
/// file) with the identities to keep, and follows the job as <c>generate</c> does; its frames are the continuation.
/// </summary>
internal static partial class ExtendCommand
{
    public static Command Create()
    {
        var clipToContinue = new Argument<string>("clip")
        {
            Description = "A completed job's id (job_…), or a clip: a folder of frames (sorted by name), an animated GIF or a video file (through ffmpeg).",
        };
        var directory = CliOptions.OutputFolder();
        var clip = CliOptions.Clip();
        var command = new Command("extend", """
            Continue a clip with the identities to keep: the clip's last frames are the first chunk's context, and every
            chunk is conditioned on the identities. Writes the continuation's frames, previews, clip and report.json as
            generate does. Frames of another size are centre-cropped and resized to the request's.
            """)
        {
            clipToContinue, directory, clip,
        };
        foreach (var option in GenerateCommand.RequestOptions)
        {
            command.Options.Add(option);
        }

        return command.WithAction(parse =>
        {
            var request = GenerateCommand.Request(parse);
            var source = parse.GetValue(clipToContinue)!;
            return async (clients, output) =>
            {
                request.Extend = JobId().IsMatch(source)
                    ? new ClipToContinue { JobId = source }
                    : await LastFramesAsync(source, (await clients.Generator.DescribeModelAsync(new DescribeModelRequest())).ContextFrames);
                return await GenerateCommand.RunAsync(clients, output, request, new JobFollower(output, parse.GetValue(directory), parse.GetValue(clip)));
            };
        });
    }

    /// <summary>The clip's last <paramref name="count"/> frames, read one at a time (only those are kept and sent).</summary>
    /// <exception cref="IOException">The clip cannot be read (the command exits as for a rejected request).</exception>
    private static async Task<ClipToContinue> LastFramesAsync(string path, uint count)
    {
        var last = new Queue<byte[]>();
        await foreach (var frame in ClipReader.ReadAsync(path))
        {
            last.Enqueue(frame);
            if (last.Count > Math.Max(1, count))
            {
                last.Dequeue();
            }
        }

        var clip = new ClipToContinue();
        clip.Frames.Add(last.Select(f => new Image { Data = ByteString.CopyFrom(f) }));
        return clip;
    }

    [GeneratedRegex("^job_[0-9a-f]+$")]
    private static partial Regex JobId();
}
