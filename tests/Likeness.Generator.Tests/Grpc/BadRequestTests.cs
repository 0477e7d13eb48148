using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;
using static Likeness.Generator.Tests.Grpc.Jobs;

namespace Likeness.Generator.Tests.Grpc;

public sealed class BadRequestTests(GeneratorFixture fixture) : IClassFixture<GeneratorFixture>
{
    private Contracts.Generation.V1.Generator.GeneratorClient Client => fixture.Generator.Generator;

    public static TheoryData<string, string> InvalidRequests => new()
    {
        { "no characters", "characters" },
        { "strength 1.5", "characters[0].identity_strength" },
        { "malformed identity id", "characters[0].identity_id" },
        { "5 frames", "num_frames" },
        { "48 px wide", "width" },
        { "1000 steps", "steps" },
        { "guidance 0.5", "guidance_scale" },
        { "region outside the frame", "characters[0].region.box" },
        { "keyframes out of order", "characters[0].region.keyframes[1].time" },
        { "prompt too long", "prompt" },
        { "preview side 4", "preview.max_side" },
        { "client request id too long", "client_request_id" },
        { "scheduler 7", "scheduler" },
        { "preview format 3", "preview.format" },
        { "frame format 9", "frame_format" },
        { "frame format -1", "frame_format" },
        { "strength NaN", "characters[0].identity_strength" },
        { "strength +infinity", "characters[0].identity_strength" },
        { "guidance NaN", "guidance_scale" },
        { "guidance -infinity", "guidance_scale" },
        { "box x NaN", "characters[0].region.box" },
        { "box width infinity", "characters[0].region.box" },
        { "keyframe time NaN", "characters[0].region.keyframes[0].time" },
        { "keyframe box height NaN", "characters[0].region.keyframes[0].box" },
        { "seconds with num_frames", "num_frames" },
        { "seconds 0", "seconds" },
        { "seconds NaN", "seconds" },
        { "seconds over the limit", "seconds" },
        { "shots with seconds", "seconds" },
        { "a shot of 0 seconds", "shots[1].seconds" },
        { "shots over the limit in total", "shots" },
        { "an identity unknown in one shot", "shots[1].characters[0].identity_id" },
        { "a shot without characters", "shots[0].characters" },
        { "the first shot continues nothing", "shots[0].continue_previous" },
        { "an identity listed twice with shots", "characters[1].identity_id" },
        { "extend with frames and a job", "extend" },
        { "extend with nothing", "extend" },
        { "extend with a frame that is not an image", "extend.frames[0]" },
        { "extend with RGB8 of the wrong length", "extend.frames[1]" },
        { "extend a job that is not completed", "extend.job_id" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task Generate_InvalidRequest_IsInvalidArgumentNamingTheField_AndTheServiceKeepsServing(string name, string field)
    {
        var request = Request(seed: 1, fixture.Alice);
        Break(request, name);

        var error = await Assert.ThrowsAsync<RpcException>(() => CollectAsync(Client.Generate(request)));

        Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{name}: {error.StatusCode} {error.Status.Detail}");
        Assert.StartsWith(field + ":", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(field, error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await fixture.Generator.Health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task Generate_ASamplerTheModelDoesNotOffer_IsFailedPreconditionNamingTheModelsObjective()
    {
        var described = await Client.DescribeModelAsync(new DescribeModelRequest());
        var request = Request(seed: 1, fixture.Alice);
        request.Scheduler = Scheduler.Ddim;

        var error = await Assert.ThrowsAsync<RpcException>(() => CollectAsync(Client.Generate(request)));
        request.Scheduler = described.Scheduler;
        var made = await CollectAsync(Client.Generate(request));

        Assert.Equal(("rectified_flow", Scheduler.Euler), (described.Objective, described.Scheduler));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.StartsWith("scheduler: SCHEDULER_DDIM is not offered by this model, which was trained as rectified_flow", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("scheduler", error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
        Assert.Equal(JobEvent.EventOneofCase.Completed, made[^1].EventCase);
    }

    [Fact]
    public async Task Generate_UnknownIdentity_IsNotFoundNamingIt()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => CollectAsync(Client.Generate(Request(seed: 1, "0123456789abcdef0123456789abcdef"))));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("0123456789abcdef0123456789abcdef", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("job_doesnotexist")]
    public async Task JobCalls_UnknownJob_HaveTheirStatus(string jobId)
    {
        var expected = jobId.Length == 0 ? StatusCode.InvalidArgument : StatusCode.NotFound;

        Assert.Equal(expected, (await Assert.ThrowsAsync<RpcException>(() => Client.GetJobAsync(new GetJobRequest { JobId = jobId }).ResponseAsync)).StatusCode);
        Assert.Equal(expected, (await Assert.ThrowsAsync<RpcException>(() => Client.CancelJobAsync(new CancelJobRequest { JobId = jobId }).ResponseAsync)).StatusCode);
        Assert.Equal(expected, (await Assert.ThrowsAsync<RpcException>(() => CollectAsync(Client.WatchJob(new WatchJobRequest { JobId = jobId })))).StatusCode);
    }

    private static Shot Shot(float seconds, string identity, bool continues = false) =>
        new() { Seconds = seconds, Characters = { new Character { IdentityId = identity } }, ContinuePrevious = continues };

    private static void Shots(GenerateRequest request, params Shot[] shots)
    {
        request.NumFrames = 0;
        request.Shots.Add(shots);
    }

    private void Break(GenerateRequest request, string name)
    {
        switch (name)
        {
            case "no characters": request.Characters.Clear(); break;
            case "strength 1.5": request.Characters[0].IdentityStrength = 1.5f; break;
            case "malformed identity id": request.Characters[0].IdentityId = "alice"; break;
            case "5 frames": request.NumFrames = 5; break;
            case "48 px wide": (request.Width, request.Height) = (48, 48); break;
            case "1000 steps": request.Steps = 1000; break;
            case "guidance 0.5": request.GuidanceScale = 0.5f; break;
            case "region outside the frame":
                request.Characters[0].Region = new Region { Box = new Box { X = 0.8f, Y = 0, Width = 0.5f, Height = 1 } };
                break;
            case "keyframes out of order":
                request.Characters[0].Region = new Region
                {
                    Keyframes =
                    {
                        new RegionKeyframe { Time = 0.5f, Box = new Box { Width = 0.5f, Height = 0.5f } },
                        new RegionKeyframe { Time = 0.2f, Box = new Box { Width = 0.5f, Height = 0.5f } },
                    },
                };
                break;
            case "prompt too long": request.Prompt = new string('a', 1001); break;
            case "preview side 4": request.Preview.MaxSide = 4; break;
            case "client request id too long": request.ClientRequestId = new string('r', 129); break;
            case "scheduler 7": request.Scheduler = (Scheduler)7; break;
            case "preview format 3": request.Preview.Format = (PreviewFormat)3; break;
            case "frame format 9": request.FrameFormat = (FrameFormat)9; break;
            case "frame format -1": request.FrameFormat = (FrameFormat)(-1); break;
            case "strength NaN": request.Characters[0].IdentityStrength = float.NaN; break;
            case "strength +infinity": request.Characters[0].IdentityStrength = float.PositiveInfinity; break;
            case "guidance NaN": request.GuidanceScale = float.NaN; break;
            case "guidance -infinity": request.GuidanceScale = float.NegativeInfinity; break;
            case "box x NaN": request.Characters[0].Region = new Region { Box = new Box { X = float.NaN, Width = 0.5f, Height = 0.5f } }; break;
            case "box width infinity": request.Characters[0].Region = new Region { Box = new Box { Width = float.PositiveInfinity, Height = 0.5f } }; break;
            case "keyframe time NaN":
                request.Characters[0].Region = new Region { Keyframes = { new RegionKeyframe { Time = float.NaN, Box = new Box { Width = 0.5f, Height = 0.5f } } } };
                break;
            case "keyframe box height NaN":
                request.Characters[0].Region = new Region { Keyframes = { new RegionKeyframe { Time = 0, Box = new Box { Width = 0.5f, Height = float.NaN } } } };
                break;
            case "seconds with num_frames": request.Seconds = 2; break;
            case "seconds 0": (request.NumFrames, request.Seconds) = (0, 0); break;
            case "seconds NaN": (request.NumFrames, request.Seconds) = (0, float.NaN); break;
            case "seconds over the limit": (request.NumFrames, request.Seconds) = (0, 121); break;
            case "shots with seconds": (request.NumFrames, request.Seconds) = (0, 1); request.Shots.Add(Shot(1, request.Characters[0].IdentityId)); break;
            case "a shot of 0 seconds": Shots(request, Shot(1, request.Characters[0].IdentityId), Shot(0, request.Characters[0].IdentityId)); break;
            case "shots over the limit in total": Shots(request, Shot(60, request.Characters[0].IdentityId), Shot(60.5f, request.Characters[0].IdentityId)); break;
            case "an identity unknown in one shot": Shots(request, Shot(1, request.Characters[0].IdentityId), Shot(1, "0123456789abcdef0123456789abcdef")); break;
            case "a shot without characters": Shots(request, new Shot { Seconds = 1 }); break;
            case "the first shot continues nothing": Shots(request, Shot(1, request.Characters[0].IdentityId, continues: true)); break;
            case "an identity listed twice with shots":
                request.Characters.Add(request.Characters[0].Clone());
                Shots(request, Shot(1, request.Characters[0].IdentityId));
                break;
            case "extend with frames and a job":
                request.Extend = new ClipToContinue { JobId = "job_0123", Frames = { new Image { Data = ByteString.CopyFrom(1, 2, 3) } } };
                break;
            case "extend with nothing": request.Extend = new ClipToContinue(); break;
            case "extend with a frame that is not an image":
                request.Extend = new ClipToContinue { Frames = { new Image { Data = ByteString.CopyFromUtf8("not an image") } } };
                break;
            case "extend with RGB8 of the wrong length":
                request.Extend = new ClipToContinue
                {
                    Frames =
                    {
                        new Image { Data = ByteString.CopyFrom(new byte[32 * 32 * 3]), Format = ImageFormat.Rgb8, Width = 32, Height = 32 },
                        new Image { Data = ByteString.CopyFrom(new byte[100]), Format = ImageFormat.Rgb8, Width = 32, Height = 32 },
                    },
                };
                break;
            case "extend a job that is not completed":
                var running = Client.Generate(Request(seed: 2, request.Characters[0].IdentityId));
                var queued = running.ResponseStream.MoveNext().GetAwaiter().GetResult() ? running.ResponseStream.Current.JobId : "";
                request.Extend = new ClipToContinue { JobId = queued };
                Client.CancelJob(new CancelJobRequest { JobId = queued });
                running.Dispose();
                break;
            default: throw new ArgumentException(name);
        }
    }
}
