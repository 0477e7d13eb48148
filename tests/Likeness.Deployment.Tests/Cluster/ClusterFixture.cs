using Likeness.Contracts.Identity.V1;
using Likeness.Testing;
using Likeness.Testing.Faults;
using GeneratorClient = Likeness.Contracts.Generation.V1.Generator.GeneratorClient;

namespace Likeness.Deployment.Tests.Cluster;

/// <summary>
/// A cluster on loopback: one real redis-server, one encoder process and three generator processes sharing the job board,
/// each as its container runs it. The claim timeout is 3 s so that a killed pod's job is taken over quickly.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int Pods = 3;

    private readonly RedisServer redis = new();
    private readonly Dictionary<string, string> environment;

    public ClusterFixture()
    {
        environment = new Dictionary<string, string>
        {
            ["Redis__Configuration"] = redis.Configuration,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        Encoder = new ServiceProcess("encoder", "Likeness.Encoder.dll", RunningHost.SeededIdentityModel, environment);
        Generators = Enumerable.Range(0, Pods).Select(i => new ServiceProcess($"generator-{i}", "Likeness.Generator.dll",
            [.. RunningHost.SeededIdentityModel, .. RunningHost.TinyVideoModel],
            new Dictionary<string, string>(environment)
            {
                ["Cluster__PodName"] = $"pod-{i}",
                ["Cluster__ClaimTimeout"] = "00:00:03",
                ["Cluster__PollInterval"] = "00:00:00.2",
                ["Generator__MaxQueuedJobs"] = "12",
                ["ShutdownTimeout"] = "00:00:20",
                ["Generator__DrainTimeout"] = "00:00:01",
            })).ToList();
    }

    public RedisServer Redis => redis;

    public ServiceProcess Encoder { get; }

    public IReadOnlyList<ServiceProcess> Generators { get; }

    public string Identity { get; private set; } = "";

    public GeneratorClient Client(int pod) => new(Generators[pod].Channel);

    /// <summary>The generator process whose consumer name is <paramref name="podName"/>.</summary>
    public static int PodNamed(string podName) => int.Parse(podName["pod-".Length..], System.Globalization.CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        await Task.WhenAll([Encoder.StartAsync(TimeSpan.FromSeconds(120)), .. Generators.Select(g => g.StartAsync(TimeSpan.FromSeconds(120)))]);
        var request = new EncodeIdentityRequest();
        request.References.Add(new Contracts.Common.V1.Image { Data = Google.Protobuf.ByteString.CopyFrom(TestImages.Face(5)) });
        Identity = (await new IdentityEncoder.IdentityEncoderClient(Encoder.Channel).EncodeIdentityAsync(request)).Identity.IdentityId;
    }

    /// <summary>Starts again every generator a test killed or stopped, so each test finds three pods.</summary>
    public async Task EnsureAllServingAsync()
    {
        foreach (var generator in Generators.Where(g => g.Current.HasExited))
        {
            await generator.StartAsync(TimeSpan.FromSeconds(120));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var service in Generators.Append(Encoder))
        {
            if (!service.Current.HasExited)
            {
                await service.TerminateAsync(TimeSpan.FromSeconds(30));
            }

            service.Dispose();
        }

        await redis.DisposeAsync();
    }
}
