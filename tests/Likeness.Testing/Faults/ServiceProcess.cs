using System.Globalization;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Likeness.Testing.Faults;

/// <summary>
/// One Likeness service as its container runs it (<c>dotnet Likeness.Encoder.dll</c> or <c>Likeness.Generator.dll</c>,
/// settings from the environment) on a fixed loopback port, so clients keep their channel across a restart.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly string assembly;
    private readonly IReadOnlyList<string> arguments;
    private readonly Dictionary<string, string> environment;
    private readonly List<ChildProcess> incarnations = [];

    public ServiceProcess(string name, string assembly, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        this.assembly = assembly;
        this.arguments = arguments;
        Port = LoopbackPorts.Free();
        this.environment = new Dictionary<string, string>(environment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
            ["BrowserUrl"] = "",
            ["EncoderBrowserUrl"] = "",
        };
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{Port}", new GrpcChannelOptions { MaxReceiveMessageSize = 16 * 1024 * 1024 });
    }

    public string Name { get; }

    public int Port { get; }

    public GrpcChannel Channel { get; }

    /// <summary>Every process started so far, the current one last.</summary>
    public IReadOnlyList<ChildProcess> Incarnations => incarnations;

    public ChildProcess Current => incarnations[^1];

    public async Task StartAsync(TimeSpan timeout)
    {
        incarnations.Add(ChildProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, assembly), .. arguments], environment));
        await WaitUntilServingAsync(timeout);
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        await Current.SignalAsync("TERM");
        await Current.WaitForExitAsync(timeout);
        return Current.ExitCode;
    }

    /// <summary>SIGTERMs the current process when one is running; nothing when none was started or it has exited.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (incarnations.Count > 0 && !Current.HasExited)
        {
            await TerminateAsync(timeout);
        }
    }

    /// <summary>Resident set size of the current process, in bytes (0 once it has exited).</summary>
    public long ResidentBytes()
    {
        try
        {
            var line = File.ReadLines($"/proc/{Current.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public async Task<bool> IsServingAsync()
    {
        try
        {
            var health = new Health.HealthClient(Channel);
            return (await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2))).Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !Current.HasExited)
        {
            if (await IsServingAsync())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The {Name} process did not become ready within {timeout}.\n{Current}");
    }

    public void Dispose()
    {
        foreach (var process in incarnations)
        {
            process.Dispose();
        }

        Channel.Dispose();
    }
}
