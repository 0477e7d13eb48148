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

    private static void Break(GenerateRequest request, string name)
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
            default: throw new ArgumentException(name);
        }
    }
}
