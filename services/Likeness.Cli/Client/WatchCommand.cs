using Grpc.Core;
using Likeness.Cli.Client.Jobs;
using Likeness.Cli.Commands;
using Likeness.Contracts.Generation.V1;

namespace Likeness.Cli.Client;

/// <summary>
/// <c>likeness watch &lt;job&gt;</c>: attaches to a job someone else started and follows it like <c>generate</c>. Ctrl-C
/// detaches and leaves the job running (<c>likeness cancel</c> stops it).
/// </summary>
internal static class WatchCommand
{
    public static Func<Task<int>> Bind(CommandLine options)
    {
        var jobId = options.Positionals() is [var one] ? one : throw new FormatException("watch takes one job id.");
        var after = (ulong)options.Number("--after", 0, minimum: 0);
        var directory = options.Optional("--out");
        var clip = ClipFile.Parse(options.Text("--clip", "auto"));
        return ClientCommand.Bind(options, async (clients, output) =>
        {
            var follower = new JobFollower(output, directory, clip);
            using var interrupt = new Interrupt();
            using var call = clients.Generator.WatchJob(new WatchJobRequest { JobId = jobId, AfterSequence = after }, cancellationToken: interrupt.Token);
            try
            {
                await follower.FollowAsync(call.ResponseStream, interrupt.Token);
            }
            catch (Exception e) when (interrupt.Requested && e is RpcException or OperationCanceledException)
            {
                Console.Error.WriteLine($"Detached from {jobId}; it goes on (likeness cancel {jobId} stops it).");
                return ExitCodes.Interrupted;
            }

            return follower.ExitCode;
        });
    }
}
