using System.Globalization;
using Grpc.Core;
using Likeness.Cli.Client.Jobs;
using Likeness.Cli.Commands;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;

namespace Likeness.Cli.Client;

/// <summary>
/// <c>likeness generate --identity … --prompt …</c>: runs a generation and follows it to the end; Ctrl-C cancels the
/// job on the server.
/// </summary>
internal static class GenerateCommand
{
    public static Func<Task<int>> Bind(CommandLine options)
    {
        var request = Request(options);
        var directory = options.Optional("--out");
        var clip = ClipFile.Parse(options.Text("--clip", "auto"));
        return ClientCommand.Bind(options, (clients, output) => RunAsync(clients, output, request, new JobFollower(output, directory, clip)));
    }

    /// <exception cref="FormatException">An option is malformed; the server checks ranges and names the field.</exception>
    private static GenerateRequest Request(CommandLine options)
    {
        var identities = options.All("--identity");
        if (identities.Count == 0)
        {
            throw new FormatException("generate needs --identity ID (once per character).");
        }

        var strengths = PerCharacter(options.All("--strength"), identities.Count, "--strength");
        var regions = PerCharacter(options.All("--region"), identities.Count, "--region");
        var size = options.Number("--size", 0, minimum: 0);
        var steps = options.Number("--steps", 0, minimum: 0);
        var request = new GenerateRequest
        {
            Prompt = options.Text("--prompt", ""),
            NumFrames = (uint)options.Number("--frames", 0, minimum: 0),
            Width = (uint)size,
            Height = (uint)size,
            Steps = (uint)steps,
            Fps = (uint)options.Number("--fps", 0, minimum: 0),
            FrameFormat = FrameFormat.Rgb8,
            ClientRequestId = options.Text("--request-id", ""),
            Preview = new PreviewOptions
            {
                EveryNSteps = (uint)options.Number("--preview-every", steps > 0 ? Math.Max(1, steps / 5) : 4, minimum: 0),
                MaxSide = (uint)options.Number("--preview-side", 128, minimum: 0),
                Format = PreviewFormat.ContactSheet,
            },
        };
        if (options.Real("--guidance") is { } guidance)
        {
            request.GuidanceScale = guidance;
        }

        if (options.Optional("--seed") is { } seed)
        {
            request.Seed = ulong.TryParse(seed, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"--seed must be a whole number, not '{seed}'.");
        }

        for (var c = 0; c < identities.Count; c++)
        {
            var character = new Character { IdentityId = identities[c] };
            if (strengths[c] is { } strength)
            {
                character.IdentityStrength = CommandLine.Real("--strength", strength);
            }

            if (regions[c] is { } region)
            {
                character.Region = new Region { Box = Box(region) };
            }

            request.Characters.Add(character);
        }

        return request;
    }

    /// <summary>One value for every character, one per character, or none.</summary>
    private static IReadOnlyList<string?> PerCharacter(IReadOnlyList<string> values, int characters, string name) => values.Count switch
    {
        0 => new string?[characters],
        1 => Enumerable.Repeat<string?>(values[0], characters).ToList(),
        _ when values.Count == characters => [.. values],
        _ => throw new FormatException($"{name} is given once for every character or once per character ({characters})."),
    };

    /// <summary><c>x,y,w,h</c> in 0..1 of the frame.</summary>
    private static Box Box(string text)
    {
        var parts = text.Split(',');
        return parts.Length == 4
            ? new Box { X = CommandLine.Real("--region", parts[0]), Y = CommandLine.Real("--region", parts[1]), Width = CommandLine.Real("--region", parts[2]), Height = CommandLine.Real("--region", parts[3]) }
            : throw new FormatException($"--region is x,y,width,height in 0..1, not '{text}'.");
    }

    private static async Task<int> RunAsync(LikenessClients clients, Output output, GenerateRequest request, JobFollower follower)
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

        return follower.ExitCode;
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
