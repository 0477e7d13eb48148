using System.CommandLine;
using Likeness.Client;
using Likeness.Client.Jobs;
using Likeness.Contracts.Generation.V1;

namespace Likeness.Cli.Client;

/// <summary><c>likeness cancel &lt;job&gt;</c>: stops a queued or running job on the server.</summary>
internal static class CancelCommand
{
    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "The job id (job_…)." };
        return new Command("cancel", "Stop a queued or running job.") { job }.WithAction(parse => async (clients, output) =>
        {
            var jobId = parse.GetValue(job)!;
            var response = await clients.Generator.CancelJobAsync(new CancelJobRequest { JobId = jobId });
            output.Emit(() => Output.ToJson(response));
            output.Say($"{jobId} {JobStates.Name(response.State)}");
            return ExitCodes.Ok;
        });
    }
}
