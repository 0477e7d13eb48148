using CsCheck;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Testing;
using static Likeness.Encoder.Tests.Grpc.Requests;

namespace Likeness.Encoder.Tests.Grpc;

/// <summary>
/// Property tests over every IdentityEncoder RPC: arbitrary messages — unknown enum values, NaN and infinite thresholds,
/// random or truncated image bytes, over-long strings and lists — each get a status the contract documents, never INTERNAL
/// or UNKNOWN, and the service keeps serving; valid requests are accepted.
/// </summary>
public sealed class ArbitraryRequestTests(EncoderFixture fixture) : IClassFixture<EncoderFixture>
{
    private static readonly StatusCode[] Documented =
    [
        StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.FailedPrecondition, StatusCode.DataLoss,
        StatusCode.ResourceExhausted,
    ];

    private static readonly byte[] Face = TestImages.Face(31);

    private IdentityEncoder.IdentityEncoderClient Client => fixture.Encoder.Client;

    private static readonly Gen<int> AnyEnum = Gen.Frequency((4, Gen.Int[0, 4]), (1, Gen.Int), (1, Gen.OneOf(-1, 9, int.MaxValue, int.MinValue)));

    private static readonly Gen<float> AnyFloat = Gen.Frequency((3, Gen.Float[0f, 2f]), (2, Gen.Float.Special), (1, Gen.Float));

    /// <summary>Random bytes, a valid face, a truncated or bit-flipped face, or nothing.</summary>
    private static readonly Gen<byte[]> AnyImageBytes = Gen.Frequency(
        (2, Gen.Byte.Array[0, 300]),
        (2, Gen.Const(Face)),
        (2, Gen.Int[1, Face.Length - 1].Select(n => Face[..n])),
        (2, Gen.Select(Gen.Int[0, Face.Length - 1], Gen.Byte, (at, value) =>
        {
            var damaged = (byte[])Face.Clone();
            damaged[at] ^= value;
            return damaged;
        })));

    private static readonly Gen<Image> AnyImage = Gen.Select(AnyImageBytes, AnyEnum, Gen.UInt, Gen.UInt, (data, format, width, height) =>
        new Image { Data = ByteString.CopyFrom(data), Format = (ImageFormat)format, Width = width, Height = height });

    private static readonly Gen<string> AnyId = Gen.Frequency(
        (2, Gen.Char["0123456789abcdef"].Array[32].Select(c => new string(c))), (2, Gen.String[0, 40]), (1, Gen.Char['a', 'z'].Array[200, 3000].Select(c => new string(c))));

    [Fact]
    public async Task EncodeIdentity_ArbitraryRequests_GetDocumentedStatuses_AndTheServiceKeepsServing()
    {
        await Gen.Select(AnyImage.Array[0, 10], AnyEnum, AnyEnum).SampleAsync(async t =>
        {
            var (images, combine, family) = t;
            var request = new EncodeIdentityRequest { CombineMode = (CombineMode)combine, Family = (IdentityFamily)family };
            request.References.AddRange(images);
            var status = await GrpcAnswers.StatusOfAsync(Client.EncodeIdentityAsync(request).ResponseAsync);
            Assert.True(Documented.Contains(status.StatusCode), $"{status.StatusCode}: {status.Detail}");
            if (!Enum.IsDefined(request.CombineMode) || !Enum.IsDefined(request.Family) || images.Any(i => !Enum.IsDefined(i.Format)))
            {
                Assert.True(status.StatusCode == StatusCode.InvalidArgument, $"{status.StatusCode}: {status.Detail}");
            }
        }, iter: 150, threads: 1);

        await AssertServingAsync();
    }

    [Fact]
    public async Task EncodeIdentity_ValidRequests_AreAccepted()
    {
        await Gen.Select(Gen.Int[1, 3], Gen.Int[0, 2], Gen.Int[0, 1_000]).SampleAsync(async t =>
        {
            var (count, combine, seed) = t;
            var request = Encode([.. Enumerable.Range(0, count).Select(i => TestImages.Face(seed + i))]);
            request.CombineMode = (CombineMode)combine;
            var response = await Client.EncodeIdentityAsync(request);
            Assert.Equal(count, response.Quality.Count);
        }, iter: 6, threads: 1);
    }

    [Fact]
    public async Task IdentityCalls_ArbitraryRequests_GetDocumentedStatuses()
    {
        await Gen.Select(AnyId, Gen.Bool, Gen.Int[0, 3]).SampleAsync(async t =>
        {
            var (id, includeTokens, rpc) = t;
            var status = rpc switch
            {
                0 => await GrpcAnswers.StatusOfAsync(Client.GetIdentityAsync(new GetIdentityRequest { IdentityId = id, IncludeTokens = includeTokens }).ResponseAsync),
                1 => await GrpcAnswers.StatusOfAsync(Client.DeleteIdentityAsync(new DeleteIdentityRequest { IdentityId = id }).ResponseAsync),
                _ => await GrpcAnswers.StatusOfAsync(Client.DescribeEncoderAsync(new DescribeEncoderRequest()).ResponseAsync),
            };
            Assert.True(Documented.Contains(status.StatusCode), $"{status.StatusCode}: {status.Detail} for rpc {rpc}, id {id}");
        }, iter: 150, threads: 1);

        await AssertServingAsync();
    }

    [Fact]
    public async Task ScoreConsistency_ArbitraryStreams_GetDocumentedStatuses()
    {
        var anyPerson = Gen.Select(Gen.String[0, 20], AnyImage.Array[0, 2], Gen.Frequency((3, Gen.Const("")), (1, AnyId)), (name, images, id) =>
        {
            var person = new ScoringPerson { Name = name, IdentityId = id };
            person.References.AddRange(images);
            return person;
        });
        var anyPeople = Gen.Select(anyPerson.Array[0, 3], Gen.Bool, AnyFloat, (people, hasThreshold, threshold) =>
        {
            var message = new ScoringPeople();
            message.People.AddRange(people);
            if (hasThreshold)
            {
                message.Threshold = threshold;
            }

            return new ScoreConsistencyRequest { People = message };
        });
        var anyMessage = Gen.Frequency((1, anyPeople), (3, AnyImage.Select(i => new ScoreConsistencyRequest { Frame = i })));
        await Gen.Select(anyPeople, anyMessage.Array[0, 3], Gen.Bool).SampleAsync(async t =>
        {
            var (people, rest, peopleFirst) = t;
            using var call = Client.ScoreConsistency();
            var status = Status.DefaultSuccess;
            try
            {
                foreach (var message in peopleFirst ? rest.Prepend(people) : rest)
                {
                    await call.RequestStream.WriteAsync(message);
                }

                await call.RequestStream.CompleteAsync();
            }
            catch (RpcException)
            {
                // The encoder answered early and closed the call; its status follows.
            }
            catch (InvalidOperationException)
            {
                // Writing after the call has ended.
            }

            status = await GrpcAnswers.StatusOfAsync(call.ResponseAsync);
            Assert.True(Documented.Contains(status.StatusCode), $"{status.StatusCode}: {status.Detail}");
            if (peopleFirst && people.People.HasThreshold && !float.IsFinite(people.People.Threshold))
            {
                Assert.True(status.StatusCode == StatusCode.InvalidArgument, $"{status.StatusCode}: {status.Detail}");
            }
        }, iter: 60, threads: 1);

        await AssertServingAsync();
    }

    private async Task AssertServingAsync() =>
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await fixture.Encoder.Health.CheckAsync(new HealthCheckRequest())).Status);
}
