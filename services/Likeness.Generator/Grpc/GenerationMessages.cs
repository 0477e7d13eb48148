using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;
using Likeness.Generation;
using Likeness.Generation.Board;
using Likeness.Generation.Requests;
using Likeness.Identity.Regions;
using Likeness.Model.Generation;
using Likeness.Model.Identity;
using DomainEvent = Likeness.Generation.Board.JobEvent;
using DomainState = Likeness.Generation.Board.JobState;
using ProtoEvent = Likeness.Contracts.Generation.V1.JobEvent;
using ProtoReport = Likeness.Contracts.Generation.V1.ConsistencyReport;
using ProtoState = Likeness.Contracts.Generation.V1.JobState;

namespace Likeness.Generator.Grpc;

/// <summary>Maps generation messages to the domain and back.</summary>
internal static class GenerationMessages
{
    /// <summary>
    /// The request as received, checked for nothing: proto3's zero for an unset scalar or enum becomes null, enum values
    /// keep their wire numbers (the domain enums share them), floats pass as sent. Validation is the domain's, in one pass.
    /// </summary>
    public static ReceivedGenerationRequest ToReceived(GenerateRequest request) => new()
    {
        Prompt = request.Prompt,
        Characters = request.Characters.Select(ToReceived).ToList(),
        Frames = Given(request.NumFrames),
        Width = Given(request.Width),
        Height = Given(request.Height),
        Fps = Given(request.Fps),
        Steps = Given(request.Steps),
        GuidanceScale = request.HasGuidanceScale ? request.GuidanceScale : null,
        Seed = request.HasSeed ? request.Seed : null,
        Scheduler = request.Scheduler == Scheduler.Unspecified ? null : (DenoisingScheduler)request.Scheduler,
        Preview = request.Preview is not { } preview
            ? new ReceivedGenerationRequest.Previews(null, null, null)
            : new ReceivedGenerationRequest.Previews(
                Given(preview.EveryNSteps), Given(preview.MaxSide), preview.Format == PreviewFormat.Unspecified ? null : (PreviewLayout)preview.Format),
        FrameEncoding = request.FrameFormat == FrameFormat.Unspecified ? null : (FrameEncoding)request.FrameFormat,
        ClientRequestId = request.ClientRequestId,
        Seconds = request.HasSeconds ? request.Seconds : null,
        Shots = request.Shots.Select(s => new ReceivedGenerationRequest.Shot(s.Prompt, s.Seconds, s.Characters.Select(ToReceived).ToList(), s.ContinuePrevious)).ToList(),
        Extend = request.Extend is not { } extend ? null : new ReceivedGenerationRequest.Extension(
            extend.Frames.Select(f => new ReceivedGenerationRequest.ReceivedFrame(f.Data.ToByteArray(), f.Format == ImageFormat.Rgb8, (int)f.Width, (int)f.Height)).ToList(),
            extend.JobId),
    };

    private static ReceivedGenerationRequest.Character ToReceived(Character c) => new(
        c.IdentityId,
        c.HasIdentityStrength ? c.IdentityStrength : null,
        c.Region is null ? null : new ReceivedGenerationRequest.Region(
            ToBox(c.Region.Box),
            c.Region.Keyframes.Select(k => new ReceivedGenerationRequest.Keyframe(k.Time, ToBox(k.Box))).ToList()));

    private static uint? Given(uint value) => value == 0 ? null : value;

    private static NormalizedBox? ToBox(Box? box) => box is null ? null : new(box.X, box.Y, box.Width, box.Height);

    public static ProtoEvent ToMessage(string jobId, DomainEvent jobEvent)
    {
        var message = new ProtoEvent { JobId = jobId, Sequence = (ulong)jobEvent.Sequence };
        switch (jobEvent)
        {
            case QueuedEvent queued:
                message.Queued = new Queued { Position = (uint)queued.Position };
                break;
            case StartedEvent started:
                message.Started = new Started
                {
                    Seed = started.Seed,
                    Model = new ModelRef { ModelId = started.ModelId, Untrained = started.Untrained },
                    NumFrames = (uint)started.Frames,
                    Width = (uint)started.Width,
                    Height = (uint)started.Height,
                    Steps = (uint)started.Steps,
                    Attempt = (uint)started.Attempt,
                    RestartReason = started.RestartReason,
                    Generator = started.Generator,
                    Characters = { started.Characters.Select(ToCast) },
                    TotalChunks = (uint)started.TotalChunks,
                    TotalShots = (uint)started.TotalShots,
                    FirstChunk = (uint)started.FirstChunk,
                };
                break;
            case StepEvent step:
                message.Step = new StepProgress
                {
                    Step = (uint)step.Step,
                    TotalSteps = (uint)step.TotalSteps,
                    StepTime = Duration.FromTimeSpan(step.StepTime),
                    Eta = Duration.FromTimeSpan(step.Eta),
                    Chunk = (uint)step.Chunk,
                    TotalChunks = (uint)step.TotalChunks,
                };
                break;
            case PreviewEvent preview:
                message.Preview = new Preview { Step = (uint)preview.Step, Chunk = (uint)preview.Chunk, FirstFrame = (uint)preview.FirstFrame };
                message.Preview.Images.AddRange(preview.Images.Select(png => new Image { Data = ByteString.CopyFrom(png), Format = ImageFormat.Png }));
                break;
            case FrameEvent frame:
                message.Frame = new Frame
                {
                    Index = (uint)frame.Index,
                    Image = new Image
                    {
                        Data = ByteString.CopyFrom(frame.Data),
                        Format = frame.Encoding == FrameEncoding.Png ? ImageFormat.Png : ImageFormat.Rgb8,
                        Width = (uint)frame.Width,
                        Height = (uint)frame.Height,
                    },
                    Chunk = (uint)frame.Chunk,
                    Shot = (uint)frame.Shot,
                };
                break;
            case ChunkFinishedEvent chunk:
                message.ChunkFinished = new ChunkFinished
                {
                    Chunk = (uint)chunk.Chunk,
                    Shot = (uint)chunk.Shot,
                    FirstFrame = (uint)chunk.FirstFrame,
                    Frames = (uint)chunk.Frames,
                    TotalChunks = (uint)chunk.TotalChunks,
                };
                break;
            case CompletedEvent completed:
                message.Completed = new Completed
                {
                    Seed = completed.Seed,
                    Fps = (uint)completed.Fps,
                    Timings = new Timings
                    {
                        Queued = Duration.FromTimeSpan(completed.Timings.Queued),
                        LoadIdentities = Duration.FromTimeSpan(completed.Timings.LoadIdentities),
                        Denoise = Duration.FromTimeSpan(completed.Timings.Denoise),
                        DecodeFrames = Duration.FromTimeSpan(completed.Timings.DecodeFrames),
                        Report = Duration.FromTimeSpan(completed.Timings.Report),
                        Total = Duration.FromTimeSpan(completed.Timings.Total),
                    },
                    Report = ToReport(completed.Report),
                };
                break;
            case EndedEvent ended:
                message.Ended = new Ended { State = ToState(ended.State), Reason = ended.Reason };
                break;
        }

        return message;
    }

    public static ProtoReport ToReport(Generation.Consistency.ConsistencyReport report)
    {
        var message = new ProtoReport { Untrained = report.Untrained, MotionAmplitude = report.MotionAmplitude };
        message.Characters.AddRange(report.Characters.Select(ToCharacter));
        message.Chunks.AddRange(report.Chunks.Select(c => new Contracts.Generation.V1.ChunkConsistency
        {
            Chunk = (uint)c.Chunk,
            Shot = (uint)c.Shot,
            FirstFrame = (uint)c.FirstFrame,
            Frames = (uint)c.Frames,
            SeamChange = c.SeamChange,
            InnerChange = c.InnerChange,
        }));
        return message;
    }

    private static Contracts.Generation.V1.CharacterConsistency ToCharacter(Generation.Consistency.CharacterConsistency c)
    {
        var message = new Contracts.Generation.V1.CharacterConsistency
        {
            IdentityId = c.IdentityId,
            MeanSimilarity = c.MeanSimilarity,
            Drift = c.Drift,
            ReferenceLoss = c.ReferenceLoss,
            TemporalLoss = c.TemporalLoss,
            IdentityLoss = c.IdentityLoss,
        };
        message.FrameSimilarity.AddRange(c.FrameSimilarity);
        message.Leakage.AddRange(c.Leakage);
        message.Region = ToRegion(c.Region);
        message.DefaultRegion = c.DefaultRegion;
        message.Chunks.AddRange(c.Chunks.Select(ToSpan));
        message.Shots.AddRange(c.Shots.Select(ToSpan));
        message.Frames.AddRange(c.Frames.Select(f => (uint)f));
        return message;
    }

    private static Contracts.Generation.V1.SpanSimilarity ToSpan(Generation.Consistency.SpanSimilarity span) =>
        new() { Index = (uint)span.Index, FaceSim = span.FaceSim, ShotsAway = (uint)span.ShotsAway };

    private static CastCharacter ToCast(CharacterRequest c) => new()
    {
        IdentityId = c.IdentityId,
        IdentityStrength = c.Strength,
        Region = ToRegion(c.Region),
        DefaultRegion = c.DefaultRegion,
    };

    private static Region ToRegion(RegionTrack track)
    {
        var region = new Region { Box = ToBox(track.Box) };
        region.Keyframes.AddRange(track.Keyframes.Select(k => new RegionKeyframe { Time = k.Time, Box = ToBox(k.Box) }));
        return region;
    }

    private static Box ToBox(NormalizedBox box) => new() { X = box.X, Y = box.Y, Width = box.Width, Height = box.Height };

    public static ProtoState ToState(DomainState state) => state switch
    {
        DomainState.Queued => ProtoState.Queued,
        DomainState.Running => ProtoState.Running,
        DomainState.Completed => ProtoState.Completed,
        DomainState.Cancelled => ProtoState.Cancelled,
        DomainState.Failed => ProtoState.Failed,
        _ => ProtoState.Unspecified,
    };

    public static JobStatus ToStatus(JobSnapshot job) => new()
    {
        JobId = job.Id,
        State = ToState(job.State),
        QueuePosition = (uint)job.QueuePosition,
        Step = (uint)job.Step,
        TotalSteps = (uint)job.TotalSteps,
        LastSequence = (ulong)job.LastSequence,
        Reason = job.Reason,
    };

    public static DescribeModelResponse Describe(LoadedVideoModel video, LoadedIdentityModel identity, GeneratorOptions options)
    {
        var response = new DescribeModelResponse
        {
            Model = new ModelRef { ModelId = video.ModelId, Untrained = video.Untrained },
            IdentityModelId = identity.ModelId,
            IdentityTokenShape = { video.Config.IdentityTokens, video.Config.IdentityDim },
            Device = video.Device.ToString(),
            Objective = DenoisingSchedulers.WireName(video.Config.Objective),
            Scheduler = (Scheduler)DenoisingSchedulers.OfferedBy(video.Config.Objective),
            Limits = new GeneratorLimits
            {
                MaxCharacters = (uint)Math.Min(options.MaxCharacters, video.Config.MaxCharacters),
                MaxSteps = (uint)options.MaxSteps,
                MaxGuidanceScale = options.MaxGuidanceScale,
                MaxPromptChars = (uint)options.MaxPromptChars,
                MaxRegionKeyframes = (uint)options.MaxRegionKeyframes,
                MaxPreviewSide = (uint)options.MaxPreviewSide,
                MaxFps = (uint)options.MaxFps,
                MaxQueuedJobs = (uint)options.MaxQueuedJobs,
                MaxClientRequestIdChars = (uint)options.MaxClientRequestIdChars,
                FinishedJobRetention = Duration.FromTimeSpan(options.FinishedJobRetention),
                MaxSeconds = options.MaxSeconds,
                MaxShots = (uint)options.MaxShots,
                MaxExtensionFrames = (uint)options.MaxExtensionFrames,
                ReattachGrace = Duration.FromTimeSpan(options.ReattachGrace),
            },
            ChunkFrames = (uint)options.ChunkFrames,
            ContextFrames = (uint)options.ContextFrames,
            Defaults = new GeneratorDefaults
            {
                NumFrames = (uint)options.DefaultFrames,
                Width = (uint)options.DefaultSize,
                Height = (uint)options.DefaultSize,
                Fps = (uint)options.DefaultFps,
                Steps = (uint)options.DefaultSteps,
                GuidanceScale = options.DefaultGuidanceScale,
                IdentityStrength = options.DefaultIdentityStrength,
            },
        };
        response.Sizes.AddRange(options.Sizes.Select(s => new FrameSize { Width = (uint)s, Height = (uint)s }));
        response.FrameCounts.AddRange(options.FrameCounts.Select(f => (uint)f));
        return response;
    }
}
