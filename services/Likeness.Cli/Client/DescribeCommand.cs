using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Grpc.Core;
using Likeness.Cli.Commands;
using Likeness.Client;
using Likeness.Client.Jobs;
using Likeness.Contracts.Generation.V1;
using Likeness.Contracts.Identity.V1;

namespace Likeness.Cli.Client;

/// <summary>
/// <c>likeness describe</c>: both services' models, sizes and limits; <c>describe &lt;identity&gt;</c>: a stored identity;
/// <c>describe &lt;job&gt;</c>: a job's state.
/// </summary>
internal static class DescribeCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("id") { Description = "An identity id, or a job id (job_…); none: both services.", Arity = ArgumentArity.ZeroOrOne };
        var wait = CliOptions.Number("--wait", "Wait up to this many seconds for both services to answer (starting, loading models); default 0.");
        return new Command("describe", "Both services' models, sizes and limits; or a stored identity; or a job.") { id, wait }
            .WithAction(parse => (clients, output) => parse.GetValue(id) switch
            {
                null => ServicesAsync(clients, output, TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(wait) ?? 0))),
                var subject when subject.StartsWith("job_", StringComparison.Ordinal) => JobAsync(clients, output, subject),
                var subject => IdentityAsync(clients, output, subject),
            });
    }

    private static async Task<int> ServicesAsync(LikenessClients clients, Output output, TimeSpan wait)
    {
        var until = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                return await ServicesAsync(clients, output);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < until)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    private static async Task<int> ServicesAsync(LikenessClients clients, Output output)
    {
        var encoder = await clients.Encoder.DescribeEncoderAsync(new DescribeEncoderRequest());
        var generator = await clients.Generator.DescribeModelAsync(new DescribeModelRequest());
        output.Emit(() => new JsonObject { ["encoder"] = Output.ToJson(encoder), ["generator"] = Output.ToJson(generator) });

        var limits = encoder.Limits;
        output.Say($"Encoder   {clients.Addresses.Encoder}");
        output.Say($"  model {encoder.Model.ModelId}{Untrained(encoder.Model.Untrained)}, tokens {string.Join('×', encoder.TokenShape)} ({encoder.StorageDtype}), TTL {(encoder.TokenTtlSeconds == 0 ? "none" : $"{encoder.TokenTtlSeconds} s")}");
        output.Say($"  {limits.MinReferences}..{limits.MaxReferences} references, each {limits.MinSide}..{limits.MaxSide} px per side, at most {limits.MaxPixels} pixels and {limits.MaxReferenceBytes} bytes; requests up to {limits.MaxRequestBytes} bytes");
        var defaults = generator.Defaults;
        var glimits = generator.Limits;
        output.Say($"Generator {clients.Addresses.Generator}");
        output.Say($"  model {generator.Model.ModelId}{Untrained(generator.Model.Untrained)} on {generator.Device}, accepts identities of {generator.IdentityModelId}");
        output.Say($"  trained as {generator.Objective}, samples with {generator.Scheduler.ToString().ToUpperInvariant()} steps");
        output.Say($"  sizes {string.Join(", ", generator.Sizes.Select(s => $"{s.Width}×{s.Height}"))}; frames {string.Join(", ", generator.FrameCounts)}");
        output.Say(string.Create(CultureInfo.InvariantCulture,
            $"  defaults: {defaults.NumFrames} frames of {defaults.Width}×{defaults.Height} at {defaults.Fps} fps, {defaults.Steps} steps, guidance {defaults.GuidanceScale}, identity strength {defaults.IdentityStrength}"));
        output.Say(string.Create(CultureInfo.InvariantCulture,
            $"  limits: {glimits.MaxCharacters} characters, {glimits.MaxSteps} steps, guidance ≤ {glimits.MaxGuidanceScale}, prompt ≤ {glimits.MaxPromptChars} chars, {glimits.MaxQueuedJobs} queued jobs"));
        return ExitCodes.Ok;
    }

    private static async Task<int> IdentityAsync(LikenessClients clients, Output output, string identityId)
    {
        var identity = (await clients.Encoder.GetIdentityAsync(new GetIdentityRequest { IdentityId = identityId })).Identity;
        output.Emit(() => Output.ToJson(identity));
        output.Say(identity.IdentityId);
        output.Say($"  model {identity.Model.ModelId}{Untrained(identity.Model.Untrained)}, tokens {string.Join('×', identity.TokenShape)} ({identity.StorageDtype}), {identity.ReferenceCount} reference(s), {identity.CombineMode}");
        output.Say($"  created {identity.CreatedAt?.ToDateTime():yyyy-MM-dd HH:mm:ss} UTC{(identity.ExpiresAt is null ? ", no expiry" : $", expires {identity.ExpiresAt.ToDateTime():yyyy-MM-dd HH:mm:ss} UTC")}");
        return ExitCodes.Ok;
    }

    private static async Task<int> JobAsync(LikenessClients clients, Output output, string jobId)
    {
        var job = await clients.Generator.GetJobAsync(new GetJobRequest { JobId = jobId });
        output.Emit(() => Output.ToJson(job));
        var progress = job.State switch
        {
            JobState.Queued => $", position {job.QueuePosition} in the queue",
            JobState.Running => $", step {job.Step}/{job.TotalSteps}",
            _ when job.Reason.Length > 0 => $": {job.Reason}",
            _ => "",
        };
        output.Say($"{job.JobId} {JobStates.Name(job.State)}{progress} (last event {job.LastSequence})");
        return ExitCodes.Ok;
    }

    private static string Untrained(bool untrained) => untrained ? " (UNTRAINED: seeded weights)" : "";
}
