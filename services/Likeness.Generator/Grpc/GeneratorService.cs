using Grpc.Core;
using Likeness.Contracts.Generation.V1;
using Likeness.Generation.Hosting;
using Likeness.Generation.Jobs;
using Likeness.Identity.Hosting;
using Likeness.ServiceDefaults.Security;
using JobEvent = Likeness.Contracts.Generation.V1.JobEvent;
using JobState = Likeness.Generation.Jobs.JobState;

namespace Likeness.Generator.Grpc;

/// <summary>likeness.generation.v1.Generator: maps messages to the generation domain and streams job events back.</summary>
public sealed class GeneratorService(GenerationService generation, VideoModelHost videoModel, IdentityModelHost identityModel) : Contracts.Generation.V1.Generator.GeneratorBase
{
    public override async Task Generate(GenerateRequest request, IServerStreamWriter<JobEvent> responseStream, ServerCallContext context)
    {
        var job = await generation.SubmitAsync(GenerationMessages.ToReceived(request), context.GetCaller(), context.CancellationToken);
        using var attached = generation.AttachCaller(job);
        await StreamAsync(job, 0, responseStream, context);
    }

    public override Task WatchJob(WatchJobRequest request, IServerStreamWriter<JobEvent> responseStream, ServerCallContext context) =>
        StreamAsync(generation.Find(request.JobId, context.GetCaller()), (long)request.AfterSequence, responseStream, context);

    /// <summary>How long CancelJob waits for a running job to stop, so it can answer with the final state.</summary>
    private static readonly TimeSpan CancelPatience = TimeSpan.FromSeconds(10);

    public override async Task<CancelJobResponse> CancelJob(CancelJobRequest request, ServerCallContext context)
    {
        var state = await generation.CancelAsync(generation.Find(request.JobId, context.GetCaller()), "cancelled by CancelJob", CancelPatience, context.CancellationToken);
        return new CancelJobResponse { State = GenerationMessages.ToState(state) };
    }

    public override Task<JobStatus> GetJob(GetJobRequest request, ServerCallContext context) =>
        Task.FromResult(GenerationMessages.ToStatus(generation.Find(request.JobId, context.GetCaller())));

    public override Task<DescribeModelResponse> DescribeModel(DescribeModelRequest request, ServerCallContext context) =>
        Task.FromResult(GenerationMessages.Describe(videoModel.Require(), identityModel.Require(), generation.Options));

    /// <summary>Writes the job's events from <paramref name="afterSequence"/> until it ends; an ended job closes the stream with its status.</summary>
    private static async Task StreamAsync(GenerationJob job, long afterSequence, IServerStreamWriter<JobEvent> stream, ServerCallContext context)
    {
        await foreach (var jobEvent in job.ReadAsync(afterSequence, context.CancellationToken))
        {
            await stream.WriteAsync(GenerationMessages.ToMessage(job.Id, jobEvent), context.CancellationToken);
        }

        if (job.State is JobState.Cancelled or JobState.Failed)
        {
            throw new RpcException(new Status(job.State == JobState.Cancelled ? StatusCode.Cancelled : StatusCode.Internal, job.Reason));
        }
    }
}
