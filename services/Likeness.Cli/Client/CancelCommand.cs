using Likeness.Cli.Client.Jobs;
using Likeness.Cli.Commands;
using Likeness.Contracts.Generation.V1;

namespace Likeness.Cli.Client;

/// <summary><c>likeness cancel &lt;job&gt;</c>: stops a queued or running job on the server.</summary>
internal static class CancelCommand
{
    public static Func<Task<int>> Bind(CommandLine options)
    {
        var jobId = options.Positionals() is [var one] ? one : throw new FormatException("cancel takes one job id.");
        return ClientCommand.Bind(options, async (clients, output) =>
        {
            var response = await clients.Generator.CancelJobAsync(new CancelJobRequest { JobId = jobId });
            output.Emit(() => Output.ToJson(response));
            output.Say($"{jobId} {JobStates.Name(response.State)}");
            return ExitCodes.Ok;
        });
    }
}
