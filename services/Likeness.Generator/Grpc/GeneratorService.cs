using Grpc.Core;
using Likeness.Contracts.Generation.V1;
using Likeness.Generation;
using Likeness.Generation.Board;
using Likeness.Generation.Hosting;
using Likeness.Identity.Hosting;
using Likeness.ServiceDefaults.Security;
using CompletedEvent = Likeness.Generation.Board.CompletedEvent;
using EndedEvent = Likeness.Generation.Board.EndedEvent;
using JobEvent = Likeness.Contracts.Generation.V1.JobEvent;
using JobState = Likeness.Generation.Board.JobState;

namespace Likeness.Generator.Grpc;

/// <summary>likeness.generation.v1.Generator: maps messages to the generation domain and streams job events back.</summary>
public sealed class GeneratorService(GenerationService generation, VideoModelHost videoModel, IdentityModelHost identityModel) : Contracts.Generation.V1.Generator.GeneratorBase
{
    public override async Task Generate(GenerateRequest request, IServerStreamWriter<JobEvent> responseStream, ServerCallContext context)
    {
        var job = await generation.SubmitAsync(GenerationMessages.ToReceived(request), context.GetCaller(), context.CancellationToken);
        await using var attached = await generation.AttachCallerAsync(job, request.ClientRequestId.Length > 0, context.Deadline, context.CancellationToken);
        await StreamAsync(job, 0, responseStream, context);
    }

    public override async Task WatchJob(WatchJobRequest request, IServerStreamWriter<JobEvent> responseStream, ServerCallContext context) =>
        await StreamAsync(await generation.FindAsync(request.JobId, context.GetCaller(), context.CancellationToken), (long)request.AfterSequence, responseStream, context);

    /// <summary>How long CancelJob waits for a running job to stop, so it can answer with the final state.</summary>
    private static readonly TimeSpan CancelPatience = TimeSpan.FromSeconds(10);

    public override async Task<CancelJobResponse> CancelJob(CancelJobRequest request, ServerCallContext context)
    {
        var job = await generation.FindAsync(request.JobId, context.GetCaller(), context.CancellationToken);
        var state = await generation.CancelAsync(job, "cancelled by CancelJob", CancelPatience, context.CancellationToken);
        return new CancelJobResponse { State = GenerationMessages.ToState(state) };
    }

    public override async Task<JobStatus> GetJob(GetJobRequest request, ServerCallContext context) =>
        GenerationMessages.ToStatus(await generation.FindAsync(request.JobId, context.GetCaller(), context.CancellationToken));

    public override Task<DescribeModelResponse> DescribeModel(DescribeModelRequest request, ServerCallContext context) =>
        Task.FromResult(GenerationMessages.Describe(videoModel.Require(), identityModel.Require(), generation.Options));

    /// <summary>
    /// Writes the job's events from <paramref name="afterSequence"/> until it ends; a job that ended without completing
    /// closes the stream with CANCELLED or INTERNAL and its reason.
    /// </summary>
    private async Task StreamAsync(JobSnapshot job, long afterSequence, IServerStreamWriter<JobEvent> stream, ServerCallContext context)
    {
        (JobState State, string Reason) last = (job.State, job.Reason);
        try
        {
            await foreach (var jobEvent in generation.ReadAsync(job, afterSequence, context.CancellationToken))
            {
                await stream.WriteAsync(GenerationMessages.ToMessage(job.Id, jobEvent), context.CancellationToken);
                last = jobEvent switch
                {
                    EndedEvent ended => (ended.State, ended.Reason),
                    CompletedEvent => (JobState.Completed, ""),
                    _ => last,
                };
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The caller went away (Ctrl-C, a deadline): nobody is left to answer, and the job's own outcome line says
            // what happened to it; letting this escape logs a stack trace per disconnected client.
            return;
        }

        if (last.State is JobState.Cancelled or JobState.Failed)
        {
            throw new RpcException(new Status(last.State == JobState.Cancelled ? StatusCode.Cancelled : StatusCode.Internal, last.Reason));
        }
    }
}
