using Google.Protobuf;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Likeness.Generator.Tests.Grpc;

/// <summary>One redis-server, an encoder and a generator (tiny video model) sharing it, and two encoded identities.</summary>
public sealed class GeneratorFixture : IAsyncLifetime
{
    public RedisServer Redis { get; } = new();

    public RunningHost Encoder { get; private set; } = null!;

    public RunningHost Generator { get; private set; } = null!;

    /// <summary>The generator's log, with gRPC's own lines from Information up (where a handler's stray exception shows).</summary>
    public LogCapture Logs { get; } = new();

    public string Alice { get; private set; } = "";

    public string Bob { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var redis = $"--Redis:Configuration={Redis.Configuration}";
        Encoder = await RunningHost.StartEncoderAsync(redis);
        Generator = await RunningHost.StartGeneratorAsync(redis, "--Generator:MaxQueuedJobs=2", "--Logging:LogLevel:Grpc=Information");
        Generator.Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
        Alice = await EncodeAsync(11);
        Bob = await EncodeAsync(22);
    }

    public async Task<string> EncodeAsync(int seed)
    {
        var request = new EncodeIdentityRequest();
        request.References.Add(new Image { Data = ByteString.CopyFrom(TestImages.Face(seed)) });
        return (await Encoder.Client.EncodeIdentityAsync(request)).Identity.IdentityId;
    }

    public async Task DisposeAsync()
    {
        await Generator.DisposeAsync();
        await Encoder.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
