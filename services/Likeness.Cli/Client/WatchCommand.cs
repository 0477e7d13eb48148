using System.CommandLine;
using Grpc.Core;
using Likeness.Cli.Commands;
using Likeness.Client.Jobs;
using Likeness.Contracts.Generation.V1;

namespace Likeness.Cli.Client;

/// <summary>
/// <c>likeness watch &lt;job&gt;</c>: attaches to a job someone else started and follows it like <c>generate</c>. Ctrl-C
/// detaches and leaves the job running (<c>likeness cancel</c> stops it).
/// </summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "The job id (job_…)." };
        var after = CliOptions.Number("--after", "Resume after this event sequence number (0: from the start).");
        var directory = CliOptions.OutputFolder();
        var clip = CliOptions.Clip();
        var command = new Command("watch", "Attach to a running or recent job and follow it like generate. Ctrl-C detaches.") { job, after, directory, clip };
        return command.WithAction(parse => async (clients, output) =>
        {
            var jobId = parse.GetValue(job)!;
            var follower = new JobFollower(output, parse.GetValue(directory), parse.GetValue(clip));
            using var interrupt = new Interrupt();
            using var call = clients.Generator.WatchJob(new WatchJobRequest { JobId = jobId, AfterSequence = (ulong)(parse.GetValue(after) ?? 0) }, cancellationToken: interrupt.Token);
            try
            {
                await follower.FollowAsync(call.ResponseStream, interrupt.Token);
            }
            catch (Exception e) when (interrupt.Requested && e is RpcException or OperationCanceledException)
            {
                Console.Error.WriteLine($"Detached from {jobId}; it goes on (likeness cancel {jobId} stops it).");
                return ExitCodes.Interrupted;
            }

            return ExitCodes.From(follower.State);
        });
    }
}
