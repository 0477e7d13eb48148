using Likeness.Contracts.Generation.V1;
using Likeness.Testing;
using static Likeness.Generator.Tests.Grpc.Jobs;

namespace Likeness.Generator.Tests.Grpc;

/// <summary>A generator on the shared job board starts while Redis is down and serves once it is back.</summary>
public sealed class RedisDownAtStartTests
{
    [Fact]
    public async Task GeneratorStartedWhileRedisIsDown_ServesJobsOnceRedisReturns()
    {
        await using var redis = new RedisServer();
        var store = $"--Redis:Configuration={redis.Configuration}";
        await using var encoder = await RunningHost.StartEncoderAsync(store);
        redis.Stop();

        var starting = RunningHost.StartGeneratorAsync(store);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(starting.IsFaulted, starting.Exception?.ToString());
        redis.Start();
        await using var generator = await starting;
        var identity = await encoder.EncodeFaceAsync(6);

        var events = await CollectAsync(generator.Generator.Generate(Request(seed: 3, identity)));

        Assert.Equal(JobEvent.EventOneofCase.Completed, events[^1].EventCase);
    }
}
