using System.Globalization;
using Google.Protobuf;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Testing;

namespace Likeness.Benchmarks;

/// <summary>EncodeIdentity through the real service on loopback: the model's cost against a store hit.</summary>
internal static class EncodeBenchmark
{
    public static async Task RunAsync(int runs, bool useRedis)
    {
        await using var redis = useRedis ? new RedisServer() : null;
        await using var encoder = await RunningHost.StartEncoderAsync(redis is null ? [] : [$"--Redis:Configuration={redis.Configuration}"]);
        var description = await encoder.Client.DescribeEncoderAsync(new DescribeEncoderRequest());
        Console.WriteLine($"model {description.Model.ModelId} (untrained: {description.Model.Untrained}), tokens {string.Join('x', description.TokenShape)}, " +
            $"store {(redis is null ? "in-memory" : "redis-server")}, {Environment.ProcessorCount} cores");
        Console.WriteLine("references: 512x512 PNG, drawn per run");
        Console.WriteLine();
        Console.WriteLine(Latency.Header);

        foreach (var count in new[] { 1, 5 })
        {
            var request = Request(count, seed: count * 1000);
            // Warm-up: first model run, JIT, connection.
            var id = (await encoder.Client.EncodeIdentityAsync(request)).Identity.IdentityId;
            await encoder.Client.DeleteIdentityAsync(new DeleteIdentityRequest { IdentityId = id });

            var cold = new Latency($"cold encode, {count} ref{(count > 1 ? "s" : "")}");
            for (var i = 0; i < runs; i++)
            {
                await cold.MeasureAsync(() => encoder.Client.EncodeIdentityAsync(request).ResponseAsync);
                await encoder.Client.DeleteIdentityAsync(new DeleteIdentityRequest { IdentityId = id });
            }

            await encoder.Client.EncodeIdentityAsync(request);
            var hit = new Latency($"cache hit, {count} ref{(count > 1 ? "s" : "")}");
            for (var i = 0; i < runs * 5; i++)
            {
                await hit.MeasureAsync(() => encoder.Client.EncodeIdentityAsync(request).ResponseAsync);
            }

            Console.WriteLine(cold.Row());
            Console.WriteLine(hit.Row());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"  cold / hit (p50)",-28} {"",6} {cold.Percentile(50) / hit.Percentile(50),10:0.0}x"));
        }
    }

    private static EncodeIdentityRequest Request(int references, int seed)
    {
        var request = new EncodeIdentityRequest();
        request.References.AddRange(Enumerable.Range(seed, references)
            .Select(s => new Image { Data = ByteString.CopyFrom(TestImages.Face(s, 512, 512)) }));
        return request;
    }
}
