using System.Diagnostics.Metrics;
using Grpc.Core;
using Grpc.Health.V1;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Identity.Encoder;
using Likeness.Identity.Store;
using TokenBlob = Likeness.Identity.Tokens.TokenBlob;
using Likeness.Testing;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using static Likeness.Encoder.Tests.Grpc.Requests;

namespace Likeness.Encoder.Tests.Grpc;

public sealed class IdentityEncoderServiceTests(EncoderFixture fixture) : IClassFixture<EncoderFixture>
{
    private IdentityEncoder.IdentityEncoderClient Client => fixture.Encoder.Client;

    [Fact]
    public async Task EncodeGetDelete_RoundTrip()
    {
        var encoded = await Client.EncodeIdentityAsync(Encode(TestImages.Face(101), TestImages.Face(102, format: SKEncodedImageFormat.Jpeg)));

        var id = encoded.Identity.IdentityId;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.False(encoded.CacheHit);
        Assert.Equal(2u, encoded.Identity.ReferenceCount);
        Assert.Equal(new long[] { 32, 768 }, encoded.Identity.TokenShape);
        Assert.True(encoded.Identity.Model.Untrained);
        Assert.Contains("untrained", encoded.Identity.Model.ModelId, StringComparison.Ordinal);
        Assert.Equal([0u, 1u], encoded.Quality.Select(q => q.Index));

        var fetched = await Client.GetIdentityAsync(new GetIdentityRequest { IdentityId = id, IncludeTokens = true });
        Assert.Equal(encoded.Identity.IdentityId, fetched.Identity.IdentityId);
        Assert.Equal(DType.Float16, fetched.Tokens.Dtype);
        Assert.Equal(new long[] { 32, 768 }, fetched.Tokens.Shape);
        Assert.Equal(32 * 768 * 2, fetched.Tokens.Data.Length);
        Assert.NotNull(fetched.Identity.ExpiresAt);

        await Client.DeleteIdentityAsync(new DeleteIdentityRequest { IdentityId = id });
        var gone = await Assert.ThrowsAsync<RpcException>(() => Client.GetIdentityAsync(new GetIdentityRequest { IdentityId = id }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        var again = await Assert.ThrowsAsync<RpcException>(() => Client.DeleteIdentityAsync(new DeleteIdentityRequest { IdentityId = id }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Encode_SameImagesInAnotherOrder_IsACacheHitThatDoesNotRunTheModel()
    {
        byte[] a = TestImages.Face(201), b = TestImages.Face(202), c = TestImages.Face(203);
        var first = await Client.EncodeIdentityAsync(Encode(a, b, c));
        using var runs = new ModelRunCounter(fixture.Encoder.Services.GetRequiredService<IMeterFactory>().Create(IdentityEncodingMetrics.MeterName));

        var second = await Client.EncodeIdentityAsync(Encode(c, a, b));

        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.Equal(first.Identity.IdentityId, second.Identity.IdentityId);
        Assert.Equal(0, runs.Encoded);
        Assert.Equal(1, runs.CacheHits);
    }

    [Fact]
    public async Task Encode_DifferentImages_GiveADifferentIdAndDifferentTokens()
    {
        var first = await Client.EncodeIdentityAsync(Encode(TestImages.Face(301)));
        var second = await Client.EncodeIdentityAsync(Encode(TestImages.Face(302)));

        Assert.NotEqual(first.Identity.IdentityId, second.Identity.IdentityId);
        var tokens = await Task.WhenAll(new[] { first, second }.Select(e =>
            Client.GetIdentityAsync(new GetIdentityRequest { IdentityId = e.Identity.IdentityId, IncludeTokens = true }).ResponseAsync));
        Assert.NotEqual(tokens[0].Tokens.Data, tokens[1].Tokens.Data);
    }

    [Fact]
    public async Task Encode_QualityWeighted_IsItsOwnIdentity()
    {
        byte[] a = TestImages.Face(401), b = TestImages.Face(402, blurSigma: 6);
        var mean = await Client.EncodeIdentityAsync(Encode(a, b));
        var weightedRequest = Encode(a, b);
        weightedRequest.CombineMode = CombineMode.QualityWeighted;

        var weighted = await Client.EncodeIdentityAsync(weightedRequest);

        Assert.NotEqual(mean.Identity.IdentityId, weighted.Identity.IdentityId);
        Assert.Equal(CombineMode.QualityWeighted, weighted.Identity.CombineMode);
        Assert.True(weighted.Quality[1].Score < weighted.Quality[0].Score);
        Assert.Contains(weighted.Quality[1].Warnings, w => w.Code == QualityWarningCode.Blurry);
    }

    public static TheoryData<string, byte[][], string, string> BadReferences => new()
    {
        { "no references", [], "references", "between 1 and 8" },
        { "nine references", Enumerable.Range(0, 9).Select(i => TestImages.Face(i, 96, 96)).ToArray(), "references", "has 9 images" },
        { "empty bytes", [TestImages.Face(1), []], "references[1].data", "is empty" },
        { "not an image", ["plain text, not pixels"u8.ToArray()], "references[0].data", "not a PNG, JPEG or WebP" },
        { "truncated PNG", [TestImages.Truncated(TestImages.Face(5))], "references[0].data", "is an incomplete Png" },
        { "30000x30000 header", [TestImages.PngDeclaring(30000, 30000)], "references[0].data", "declares 30000×30000" },
        { "1x1 image", [OnePixel()], "references[0].data", "at least 64 px" },
    };

    [Theory]
    [MemberData(nameof(BadReferences))]
    public async Task Encode_BadInput_IsInvalidArgumentNamingTheField_AndTheServiceKeepsServing(
        string name, byte[][] images, string field, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.EncodeIdentityAsync(Encode(images)).ResponseAsync);

        Assert.True(StatusCode.InvalidArgument == error.StatusCode, $"{name}: {error.StatusCode} {error.Status.Detail}");
        Assert.StartsWith(field + ":", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(field, BadField(error));
        await AssertServing();
    }

    [Fact]
    public async Task Encode_OverSizeMessage_IsResourceExhausted_AndTheServiceKeepsServing()
    {
        var limits = (await Client.DescribeEncoderAsync(new DescribeEncoderRequest())).Limits;
        var huge = new byte[limits.MaxRequestBytes + 1024];
        huge[0] = 0x89;

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.EncodeIdentityAsync(Encode(huge)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        await AssertServing();
    }

    [Fact]
    public async Task Encode_ReferenceOverByteLimit_IsInvalidArgument()
    {
        var limits = (await Client.DescribeEncoderAsync(new DescribeEncoderRequest())).Limits;
        var image = TestImages.Face(9).Concat(new byte[limits.MaxReferenceBytes]).ToArray();

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.EncodeIdentityAsync(Encode(image)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("references[0].data", BadField(error));
    }

    [Theory]
    [InlineData("", StatusCode.InvalidArgument)]
    [InlineData("not-an-id", StatusCode.InvalidArgument)]
    [InlineData("0123456789abcdef0123456789abcdef", StatusCode.NotFound)]
    public async Task Get_UnknownOrMalformedId_HasItsStatus(string id, StatusCode expected)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.GetIdentityAsync(new GetIdentityRequest { IdentityId = id }).ResponseAsync);

        Assert.Equal(expected, error.StatusCode);
    }

    [Fact]
    public async Task StoredBlobWithOneCorruptedByte_IsRefusedAsDataLoss_AndEncodingAgainRepairsIt()
    {
        var image = TestImages.Face(501);
        var id = (await Client.EncodeIdentityAsync(Encode(image))).Identity.IdentityId;
        await using var redis = await fixture.Redis.ConnectAsync();
        var key = StoreKey(id);
        var blob = (byte[])(await redis.GetDatabase().StringGetAsync(key))!;
        blob[blob.Length / 2] ^= 0x10;
        await redis.GetDatabase().StringSetAsync(key, blob);

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.GetIdentityAsync(new GetIdentityRequest { IdentityId = id }).ResponseAsync);
        Assert.Equal(StatusCode.DataLoss, error.StatusCode);

        var repaired = await Client.EncodeIdentityAsync(Encode(image));
        Assert.False(repaired.CacheHit);
        Assert.Equal(id, (await Client.GetIdentityAsync(new GetIdentityRequest { IdentityId = id })).Identity.IdentityId);
    }

    [Fact]
    public async Task StoredTokensOfAnotherModel_AreRefusedAsFailedPrecondition_AndNeverServedAsACacheHit()
    {
        var image = TestImages.Face(601);
        var id = (await Client.EncodeIdentityAsync(Encode(image))).Identity.IdentityId;
        await using var redis = await fixture.Redis.ConnectAsync();
        var (tokens, dtype) = TokenBlob.Decode((byte[])(await redis.GetDatabase().StringGetAsync(StoreKey(id)))!);
        await redis.GetDatabase().StringSetAsync(StoreKey(id), TokenBlob.Encode(tokens with { ModelId = "another-identity-model" }, dtype));

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.GetIdentityAsync(new GetIdentityRequest { IdentityId = id }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("another-identity-model", error.Status.Detail, StringComparison.Ordinal);

        Assert.False((await Client.EncodeIdentityAsync(Encode(image))).CacheHit);
    }

    [Fact]
    public async Task Describe_ReportsTheModelAndEveryLimit()
    {
        var description = await Client.DescribeEncoderAsync(new DescribeEncoderRequest());

        Assert.True(description.Model.Untrained);
        Assert.Equal(new long[] { 32, 768 }, description.TokenShape);
        Assert.Equal(8u, description.Limits.MaxReferences);
        Assert.Equal(1u, description.Limits.MinReferences);
        Assert.Equal(40_000_000ul, description.Limits.MaxPixels);
        Assert.True(description.Limits.MaxRequestBytes > description.Limits.MaxReferences * description.Limits.MaxReferenceBytes);
    }

    [Fact]
    public async Task Health_LivenessServiceIsServing() =>
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await fixture.Encoder.Health.CheckAsync(new HealthCheckRequest { Service = "liveness" })).Status);

    private string StoreKey(string id) =>
        fixture.Encoder.Services.GetRequiredService<TokenStoreOptions>().KeyPrefix + id;

    private async Task AssertServing() =>
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await fixture.Encoder.Health.CheckAsync(new HealthCheckRequest())).Status);

    private static byte[] OnePixel()
    {
        using var bitmap = new SKBitmap(1, 1);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Counts this process's encoder outcomes from the <see cref="IdentityEncodingMetrics"/> meter.</summary>
    private sealed class ModelRunCounter : IDisposable
    {
        private readonly MeterListener listener = new();
        private int encoded;
        private int cacheHits;

        /// <param name="meter">The service's own meter (IMeterFactory hands out one instance per name), so other hosts in this process do not count.</param>
        public ModelRunCounter(Meter meter)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter && instrument.Name == "likeness.identity.encodes")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "outcome")
                    {
                        Interlocked.Add(ref (string?)tag.Value == "encoded" ? ref encoded : ref cacheHits, (int)value);
                    }
                }
            });
            listener.Start();
        }

        public int Encoded => encoded;

        public int CacheHits => cacheHits;

        public void Dispose() => listener.Dispose();
    }
}
