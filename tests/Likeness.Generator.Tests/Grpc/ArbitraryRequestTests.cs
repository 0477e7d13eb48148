using CsCheck;
using Grpc.Core;
using Likeness.Testing;
using Grpc.Health.V1;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Generation.V1;
using static Likeness.Generator.Tests.Grpc.Jobs;

namespace Likeness.Generator.Tests.Grpc;

/// <summary>
/// Property tests over every Generator RPC: arbitrary messages — unknown enum values, NaN and infinities, zero, huge
/// numbers, over-long strings and lists — each get a status the contract documents, never INTERNAL or UNKNOWN, and the
/// service keeps serving; valid requests are accepted.
/// </summary>
public sealed class ArbitraryRequestTests(GeneratorFixture fixture) : IClassFixture<GeneratorFixture>
{
    /// <summary>What the Generator's contract documents for a request it refuses, or an accepted call the test ended itself.</summary>
    private static readonly StatusCode[] Documented =
    [
        StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.FailedPrecondition, StatusCode.AlreadyExists,
        StatusCode.ResourceExhausted, StatusCode.Cancelled, StatusCode.DeadlineExceeded,
    ];

    private Contracts.Generation.V1.Generator.GeneratorClient Client => fixture.Generator.Generator;

    private static readonly Gen<float> AnyFloat = Gen.Frequency(
        (3, Gen.Float[-2f, 25f]), (2, Gen.Float.Special), (1, Gen.Float), (1, Gen.OneOf(float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 1f)));

    private static readonly Gen<uint> AnyCount = Gen.Frequency((4, Gen.UInt[0, 70]), (1, Gen.UInt), (1, Gen.OneOf(uint.MaxValue, (uint)int.MaxValue + 1)));

    /// <summary>Every defined value, 0, and values no version of the contract defines (negative ones included).</summary>
    private static readonly Gen<int> AnyEnum = Gen.Frequency((4, Gen.Int[0, 3]), (1, Gen.Int), (1, Gen.OneOf(-1, 7, int.MaxValue, int.MinValue)));

    /// <summary>Any text a client can send: protobuf cannot encode a lone surrogate, so those become '?'.</summary>
    private static readonly Gen<string> AnyText = Gen.Frequency(
        (4, Gen.String[0, 40]), (1, Gen.Char.Array[900, 1100].Select(c => new string(c))), (1, Gen.Const("")), (1, Gen.String["\0é🙂\n\u202e"]))
        .Select(WithoutLoneSurrogates);

    private Gen<string> AnyIdentityId => Gen.Frequency(
        (3, Gen.Const(fixture.Alice)), (1, Gen.Const(fixture.Bob)), (1, Gen.Char["0123456789abcdef"].Array[32].Select(c => new string(c))), (1, AnyText));

    private static readonly Gen<Box?> AnyBox = Gen.Frequency(
        (1, Gen.Const((Box?)null)),
        (3, Gen.Select(AnyFloat, AnyFloat, AnyFloat, AnyFloat, (x, y, w, h) => (Box?)new Box { X = x, Y = y, Width = w, Height = h })));

    private static readonly Gen<Region?> AnyRegion = Gen.Frequency(
        (2, Gen.Const((Region?)null)),
        (2, Gen.Select(AnyBox, Gen.Select(AnyFloat, AnyBox, (t, b) => new RegionKeyframe { Time = t, Box = b }).Array[0, 18], (box, keyframes) =>
        {
            var region = new Region { Box = box };
            region.Keyframes.AddRange(keyframes);
            return (Region?)region;
        })));

    private Gen<Character> AnyCharacter => Gen.Select(AnyIdentityId, Gen.Bool, AnyFloat, AnyRegion, (id, hasStrength, strength, region) =>
    {
        var character = new Character { IdentityId = id, Region = region };
        if (hasStrength)
        {
            character.IdentityStrength = strength;
        }

        return character;
    });

    private Gen<GenerateRequest> AnyGenerateRequest => Gen.Select(
        Gen.Select(AnyText, AnyCharacter.Array[0, 4], AnyCount, AnyCount, AnyCount, AnyCount, AnyCount),
        Gen.Select(Gen.Bool, AnyFloat, Gen.Bool, Gen.ULong, AnyEnum, AnyEnum, AnyText),
        Gen.Select(Gen.Bool, AnyCount, AnyCount, AnyEnum),
        (a, b, p) =>
        {
            var request = new GenerateRequest
            {
                Prompt = a.Item1, NumFrames = a.Item3, Width = a.Item4, Height = a.Item5, Fps = a.Item6, Steps = a.Item7,
                Scheduler = (Scheduler)b.Item5, FrameFormat = (FrameFormat)b.Item6, ClientRequestId = b.Item7,
            };
            request.Characters.AddRange(a.Item2);
            if (b.Item1)
            {
                request.GuidanceScale = b.Item2;
            }

            if (b.Item3)
            {
                request.Seed = b.Item4;
            }

            if (p.Item1)
            {
                request.Preview = new PreviewOptions { EveryNSteps = p.Item2, MaxSide = p.Item3, Format = (PreviewFormat)p.Item4 };
            }

            return request;
        });

    /// <summary>Requests inside every limit, small enough to run: they must all be accepted.</summary>
    private Gen<GenerateRequest> ValidGenerateRequest => Gen.Select(
        Gen.String[0, 60], Gen.Float[0f, 1f], Gen.UInt[1, 3], Gen.Float[1f, 20f], Gen.Int[0, 2], Gen.Int[1, 2], Gen.Bool,
        (prompt, strength, steps, guidance, frameFormat, previewFormat, keyframed) =>
        {
            var request = Request(seed: 9, fixture.Alice, strength);
            request.Prompt = prompt;
            request.Steps = steps;
            request.GuidanceScale = guidance;
            request.FrameFormat = (FrameFormat)frameFormat;
            request.Preview.Format = (PreviewFormat)previewFormat;
            if (keyframed)
            {
                request.Characters[0].Region = new Region
                {
                    Keyframes =
                    {
                        new RegionKeyframe { Time = 0, Box = new Box { Width = 0.5f, Height = 1 } },
                        new RegionKeyframe { Time = 1, Box = new Box { X = 0.5f, Width = 0.5f, Height = 1 } },
                    },
                };
            }

            return request;
        });

    [Fact]
    public async Task Generate_ArbitraryRequests_GetDocumentedStatuses_AndTheServiceKeepsServing()
    {
        await AnyGenerateRequest.SampleAsync(async request =>
        {
            var status = await FirstAnswerAsync(Client.Generate(request, deadline: DateTime.UtcNow.AddSeconds(20)));
            Assert.True(Documented.Contains(status.StatusCode), $"{status.StatusCode}: {status.Detail} for {request}");
            if (HasUnknownEnumOrNonFiniteFloat(request))
            {
                Assert.True(status.StatusCode == StatusCode.InvalidArgument, $"{status.StatusCode}: {status.Detail} for {request}");
            }
        }, iter: 300, threads: 1);

        await AssertServingAsync();
    }

    [Fact]
    public async Task Generate_ValidRequests_AreAccepted()
    {
        await ValidGenerateRequest.SampleAsync(async request =>
        {
            var events = await CollectAsync(Client.Generate(request));
            Assert.Equal(JobEvent.EventOneofCase.Completed, events[^1].EventCase);
        }, iter: 12, threads: 1);
    }

    [Fact]
    public async Task JobCalls_ArbitraryRequests_GetDocumentedStatuses()
    {
        var anyJobId = Gen.Frequency((4, AnyText), (1, Gen.Char["0123456789abcdef"].Array[20].Select(c => "job_" + new string(c))));
        await Gen.Select(anyJobId, Gen.ULong, Gen.Int[0, 4]).SampleAsync(async t =>
        {
            var (jobId, after, rpc) = t;
            var status = rpc switch
            {
                0 => await GrpcAnswers.StatusOfAsync(Client.GetJobAsync(new GetJobRequest { JobId = jobId }).ResponseAsync),
                1 => await GrpcAnswers.StatusOfAsync(Client.CancelJobAsync(new CancelJobRequest { JobId = jobId }).ResponseAsync),
                2 => await FirstAnswerAsync(Client.WatchJob(new WatchJobRequest { JobId = jobId, AfterSequence = after })),
                _ => await GrpcAnswers.StatusOfAsync(Client.DescribeModelAsync(new DescribeModelRequest()).ResponseAsync),
            };
            Assert.True(Documented.Contains(status.StatusCode), $"{status.StatusCode}: {status.Detail} for rpc {rpc}, job {jobId}");
        }, iter: 200, threads: 1);

        await AssertServingAsync();
    }

    /// <summary>Whether any field holds an enum value the contract does not define or a float that is not finite.</summary>
    private static bool HasUnknownEnumOrNonFiniteFloat(GenerateRequest request)
    {
        static bool NonFinite(float value) => !float.IsFinite(value);
        static bool BadBox(Box? box) => box is not null && (NonFinite(box.X) || NonFinite(box.Y) || NonFinite(box.Width) || NonFinite(box.Height));
        return !Enum.IsDefined(request.Scheduler) || !Enum.IsDefined(request.FrameFormat)
            || (request.Preview is { } preview && !Enum.IsDefined(preview.Format))
            || (request.HasGuidanceScale && NonFinite(request.GuidanceScale))
            || request.Characters.Any(c => (c.HasIdentityStrength && NonFinite(c.IdentityStrength)) || (c.Region is { } region
                && (BadBox(region.Box) || region.Keyframes.Any(k => NonFinite(k.Time) || BadBox(k.Box)))));
    }

    private static string WithoutLoneSurrogates(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }

    /// <summary>The status of a server stream's first answer: OK once an event arrives (the call is then ended), else the error.</summary>
    private static async Task<Status> FirstAnswerAsync(AsyncServerStreamingCall<JobEvent> call)
    {
        using (call)
        {
            try
            {
                await call.ResponseStream.MoveNext(CancellationToken.None);
                return Status.DefaultSuccess;
            }
            catch (RpcException e)
            {
                return e.Status;
            }
        }
    }

    private async Task AssertServingAsync() =>
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await fixture.Generator.Health.CheckAsync(new HealthCheckRequest())).Status);
}
