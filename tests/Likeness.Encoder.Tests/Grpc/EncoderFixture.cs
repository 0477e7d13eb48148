using Likeness.Testing;

namespace Likeness.Encoder.Tests.Grpc;

/// <summary>One redis-server and one encoder using it, shared by a test class.</summary>
public sealed class EncoderFixture : IAsyncLifetime
{
    public RedisServer Redis { get; } = new();

    public RunningHost Encoder { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Encoder = await RunningHost.StartEncoderAsync($"--Redis:Configuration={Redis.Configuration}");

    public async Task DisposeAsync()
    {
        await Encoder.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
