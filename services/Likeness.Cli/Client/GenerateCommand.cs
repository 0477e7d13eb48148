using System.CommandLine;
using Grpc.Core;
using Likeness.Cli.Commands;
using Likeness.Client;
using Likeness.Client.Jobs;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;

namespace Likeness.Cli.Client;

/// <summary>
/// <c>likeness generate --identity … --prompt …</c>: runs a generation (of any length, or a shot list) and follows it to
/// the end; Ctrl-C cancels the job on the server. <c>likeness extend</c> (<see cref="ExtendCommand"/>) shares its options.
/// </summary>
internal static class GenerateCommand
{
    private static readonly Option<string[]> Identities = CliOptions.Repeatable("--identity", "An identity to cast, once per character.");
    private static readonly Option<string> Prompt = CliOptions.Text("--prompt", "", "What happens in the clip.");
    private static readonly Option<float[]> Strengths = CliOptions.Reals("--strength", "Identity strength 0..1: once for all characters, or once per character.");
    private static readonly Option<string[]> Regions = CliOptions.Repeatable("--region", "X,Y,W,H in 0..1 of the frame, once per character.");
    private static readonly Option<int?> Frames = CliOptions.Number("--frames", "Frames in a clip of one chunk (server default).");
    private static readonly Option<float?> Seconds = CliOptions.Real("--seconds", "Length of the clip in seconds at --fps, up to the server's limit (120 s): made chunk by chunk.");
    private static readonly Option<string?> Shots = new("--shots")
    {
        Description = "A shot list, JSON or YAML (docs/clients.md): each shot's prompt, seconds, characters and whether it continues the one before.",
        HelpName = "FILE",
    };
    private static readonly Option<int?> Size = CliOptions.Number("--size", "Width and height in pixels (server default).");
    private static readonly Option<int?> Steps = CliOptions.Number("--steps", "Denoising steps (server default).");
    private static readonly Option<float?> Guidance = CliOptions.Real("--guidance", "Classifier-free guidance scale (server default).");
    private static readonly Option<string?> Seed = new("--seed") { Description = "Seed, for the same clip again (random)." };
    private static readonly Option<int?> Fps = CliOptions.Number("--fps", "Frames per second of the clip (server default).");
    private static readonly Option<int?> PreviewEvery = CliOptions.Number("--preview-every", "A preview every N steps (steps/5).");
    private static readonly Option<int?> PreviewSide = CliOptions.Number("--preview-side", "Longest side of previews in pixels (128).");
    private static readonly Option<string> RequestId = CliOptions.Text("--request-id", "", "Idempotency key: a retry attaches to the same job.");

    /// <summary>The options <c>generate</c> and <c>extend</c> share.</summary>
    public static IReadOnlyList<Option> RequestOptions =>
        [Identities, Prompt, Strengths, Regions, Frames, Seconds, Size, Steps, Guidance, Seed, Fps, PreviewEvery, PreviewSide, RequestId];

    public static Command Create()
    {
        var directory = CliOptions.OutputFolder();
        var clip = CliOptions.Clip();
        var command = new Command("generate", """
            Generate a clip and follow it: progress with queue position, chunk, step and ETA; writes previews, frames, the
            clip (MP4 through ffmpeg when installed, else GIF) and report.json. --seconds makes a long clip chunk by chunk,
            --shots a clip of several shots. Ctrl-C cancels the job on the server.
            """)
        {
            Shots, directory, clip,
        };
        foreach (var option in RequestOptions)
        {
            command.Options.Add(option);
        }

        return command.WithAction(parse =>
        {
            var request = Request(parse, parse.GetValue(Shots) is { } shots ? ShotListFile.Read(shots) : null);
            return (clients, output) => RunAsync(clients, output, request, new JobFollower(output, parse.GetValue(directory), parse.GetValue(clip)));
        });
    }

    /// <param name="shotList">The shots (and maybe the cast) read from <c>--shots</c>; null without it.</param>
    /// <exception cref="FormatException">An option is malformed; the server checks ranges and names the field.</exception>
    public static GenerateRequest Request(ParseResult parse, GenerateRequest? shotList = null)
    {
        var identities = parse.GetValue(Identities) ?? [];
        if (identities.Length == 0 && shotList is not null)
        {
            identities = shotList.Characters.Count > 0
                ? [.. shotList.Characters.Select(c => c.IdentityId)]
                : [.. shotList.Shots.SelectMany(s => s.Characters).Select(c => c.IdentityId).Distinct()];
        }

        if (identities.Length == 0)
        {
            throw new FormatException($"{parse.CommandResult.Command.Name} needs --identity ID (once per character).");
        }

        var strengths = PerCharacter(parse.GetValue(Strengths) ?? [], identities.Length, "--strength");
        var regions = PerCharacter(parse.GetValue(Regions) ?? [], identities.Length, "--region");
        var size = parse.GetValue(Size) ?? 0;
        var steps = parse.GetValue(Steps) ?? 0;
        var request = new GenerateRequest
        {
            Prompt = parse.GetValue(Prompt)!,
            NumFrames = (uint)(parse.GetValue(Frames) ?? 0),
            Width = (uint)size,
            Height = (uint)size,
            Steps = (uint)steps,
            Fps = (uint)(parse.GetValue(Fps) ?? 0),
            FrameFormat = FrameFormat.Rgb8,
            ClientRequestId = parse.GetValue(RequestId)!,
            Preview = new PreviewOptions
            {
                EveryNSteps = (uint)(parse.GetValue(PreviewEvery) ?? (steps > 0 ? Math.Max(1, steps / 5) : 4)),
                MaxSide = (uint)(parse.GetValue(PreviewSide) ?? 128),
                Format = PreviewFormat.ContactSheet,
            },
        };
        if (parse.GetValue(Guidance) is { } guidance)
        {
            request.GuidanceScale = guidance;
        }

        if (parse.GetValue(Seconds) is { } seconds)
        {
            request.Seconds = seconds;
        }

        request.Shots.Add(shotList?.Shots ?? []);

        if (parse.GetValue(Seed) is { } seed)
        {
            request.Seed = ulong.TryParse(seed, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"--seed must be a whole number, not '{seed}'.");
        }

        for (var c = 0; c < identities.Length; c++)
        {
            var character = shotList?.Characters.FirstOrDefault(k => k.IdentityId == identities[c])?.Clone() ?? new Character { IdentityId = identities[c] };
            if (strengths is not null)
            {
                character.IdentityStrength = strengths[c];
            }

            if (regions is not null)
            {
                character.Region = new Region { Box = Box(regions[c]) };
            }

            request.Characters.Add(character);
        }

        return request;
    }

    /// <summary>
    /// One value for every character, one per character, or null when the option was not given: the field is then left
    /// unset and the server's default applies (a proto3 <c>optional</c> sent as 0 would be an explicit 0).
    /// </summary>
    private static List<T>? PerCharacter<T>(IReadOnlyList<T> values, int characters, string name) => values.Count switch
    {
        0 => null,
        1 => Enumerable.Repeat(values[0], characters).ToList(),
        _ when values.Count == characters => [.. values],
        _ => throw new FormatException($"{name} is given once for every character or once per character ({characters})."),
    };

    /// <summary><c>x,y,w,h</c> in 0..1 of the frame.</summary>
    private static Box Box(string text)
    {
        var parts = text.Split(',');
        return parts.Length == 4
            ? new Box { X = Coordinate(parts[0], text), Y = Coordinate(parts[1], text), Width = Coordinate(parts[2], text), Height = Coordinate(parts[3], text) }
            : throw new FormatException($"--region is x,y,width,height in 0..1, not '{text}'.");
    }

    private static float Coordinate(string part, string text) =>
        float.TryParse(part, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && float.IsFinite(value)
            ? value
            : throw new FormatException($"--region is x,y,width,height in 0..1, not '{text}'.");

    /// <summary>Runs the job and follows it; Ctrl-C cancels it on the server.</summary>
    public static async Task<int> RunAsync(LikenessClients clients, Output output, GenerateRequest request, JobFollower follower)
    {
        using var interrupt = new Interrupt();
        using (var call = clients.Generator.Generate(request, cancellationToken: interrupt.Token))
        {
            try
            {
                await follower.FollowAsync(call.ResponseStream, interrupt.Token);
            }
            catch (Exception e) when (interrupt.Requested && e is RpcException or OperationCanceledException)
            {
                return await CancelOnServerAsync(clients, output, follower.JobId);
            }
        }

        return ExitCodes.From(follower.State);
    }

    /// <summary>
    /// Closing the stream already cancels the job (Generate's contract); CancelJob makes sure and reports the state.
    /// A job that was never acknowledged has no id to name, and closing the stream was all there was to do.
    /// </summary>
    private static async Task<int> CancelOnServerAsync(LikenessClients clients, Output output, string? jobId)
    {
        if (jobId is null)
        {
            Console.Error.WriteLine("Interrupted before the job was queued.");
            return ExitCodes.Interrupted;
        }

        var response = await clients.Generator.CancelJobAsync(new CancelJobRequest { JobId = jobId }, deadline: DateTime.UtcNow.AddSeconds(15)); // the server waits up to 10 s for the job to stop
        output.Emit(() => new System.Text.Json.Nodes.JsonObject { ["jobId"] = jobId, ["interrupted"] = true, ["state"] = JobStates.Name(response.State) });
        Console.Error.WriteLine($"Interrupted: job {jobId} is {JobStates.Name(response.State)} on the server.");
        return ExitCodes.Interrupted;
    }
}
