using Grpc.Core;
using Grpc.Health.V1;
using Likeness.Contracts.Generation.V1;
using Likeness.Generator.Tests.Grpc;
using Likeness.Testing;

namespace Likeness.Generator.Tests.Security;

/// <summary>Who may call at all: credentials missing, unknown, expired or foreign are UNAUTHENTICATED, saying why; health stays open.</summary>
public sealed class AuthenticationTests(SecuredHostFixture fixture) : IClassFixture<SecuredHostFixture>
{
    private Contracts.Generation.V1.Generator.GeneratorClient Generator => fixture.Host.Generator;

    [Fact]
    public async Task Call_WithoutCredential_IsUnauthenticated_NamingTheMetadata()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Generator.DescribeModelAsync(new DescribeModelRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("authorization: Bearer", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_WithoutCredential_IsUnauthenticated_AndQueuesNothing()
    {
        using var call = Generator.Generate(Jobs.Request(seed: 1, fixture.AliceIdentity));

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Call_WithUnknownApiKey_IsUnauthenticated_SayingSo()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Generator.DescribeModelAsync(new DescribeModelRequest(), Credentials.Bearer(Credentials.NewApiKey())).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("API key is not recognised", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("expired", "has expired")]
    [InlineData("foreign-key", "not signed by any configured key")]
    [InlineData("other-audience", "audience is not this service")]
    [InlineData("garbage", "not a well-formed JWT")]
    public async Task Call_WithBadJwt_IsUnauthenticated_SayingWhatIsWrong(string kind, string expected)
    {
        var token = kind switch
        {
            "expired" => Credentials.Jwt("alice", lifetime: TimeSpan.FromMinutes(-5)),
            "foreign-key" => Credentials.Jwt("alice", secret: new byte[32]),
            "other-audience" => Credentials.Jwt("alice", audience: "someone-else"),
            _ => "not.a.jwt",
        };

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Generator.DescribeModelAsync(new DescribeModelRequest(), Credentials.Bearer(token)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_WithValidJwt_OrApiKey_IsServed()
    {
        var byJwt = await Generator.DescribeModelAsync(new DescribeModelRequest(), Credentials.Bearer(Credentials.Jwt("alice")));
        var byKey = await Generator.DescribeModelAsync(new DescribeModelRequest(), Credentials.Bearer(fixture.AliceKey));

        Assert.Equal(byKey.Model.ModelId, byJwt.Model.ModelId);
    }

    [Fact]
    public async Task ApiKeysFile_WhenItChanges_IsReadAgain_WithoutARestart()
    {
        var added = Credentials.NewApiKey();
        var before = await Assert.ThrowsAsync<RpcException>(() =>
            Generator.DescribeModelAsync(new DescribeModelRequest(), Credentials.Bearer(added)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, before.StatusCode);

        await File.AppendAllLinesAsync(fixture.KeysFile, [$"{added} carol"]);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                await Generator.DescribeModelAsync(new DescribeModelRequest(), Credentials.Bearer(added));
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    [Fact]
    public async Task Health_WithoutCredential_IsServing()
    {
        var health = await fixture.Host.Health.CheckAsync(new HealthCheckRequest());
        var liveness = await fixture.Host.Health.CheckAsync(new HealthCheckRequest { Service = "liveness" });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, liveness.Status);
    }

    [Fact]
    public async Task Logs_NeverContainACredential()
    {
        var jwt = Credentials.Jwt("alice");
        var badKey = Credentials.NewApiKey();
        var expired = Credentials.Jwt("bob", lifetime: TimeSpan.FromMinutes(-5));
        await Generator.DescribeModelAsync(new DescribeModelRequest(), Credentials.Bearer(jwt));
        await Generator.DescribeModelAsync(new DescribeModelRequest(), Credentials.Bearer(fixture.BobKey));
        foreach (var refused in new[] { badKey, expired })
        {
            await Assert.ThrowsAsync<RpcException>(() => Generator.DescribeModelAsync(new DescribeModelRequest(), Credentials.Bearer(refused)).ResponseAsync);
        }

        var lines = fixture.Logs.Lines.ToList();
        Assert.Contains(lines, line => line.Contains("API key is not recognised", StringComparison.Ordinal));
        foreach (var secret in new[] { jwt, fixture.BobKey, badKey, expired, jwt.Split('.')[2], expired.Split('.')[1] })
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }
}
