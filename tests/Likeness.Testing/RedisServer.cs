using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Likeness.Testing;

/// <summary>A real redis-server on a free loopback port, owned by one test class; can be killed and started again on the same port.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string? directory;
    private Process? process;

    /// <param name="persistence">
    /// An append-only file in a temporary folder, fsynced on every write, so data survives <see cref="Stop"/>; by default
    /// nothing is persisted and a restart starts empty.
    /// </param>
    public RedisServer(bool persistence = false)
    {
        Port = LoopbackPorts.Free();
        directory = persistence ? Directory.CreateTempSubdirectory("likeness-redis-").FullName : null;
        Start();
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis connection string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public void Start()
    {
        if (process is { HasExited: false })
        {
            return;
        }

        var executable = FindExecutable();
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--protected-mode", "yes" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in directory is null ? ["--appendonly", "no"] : new[] { "--appendonly", "yes", "--appendfsync", "always", "--dir", directory })
        {
            start.ArgumentList.Add(argument);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        WaitUntil(answering: true);
    }

    /// <summary>SIGKILL: no shutdown, no final save.</summary>
    public void Stop()
    {
        if (process is null)
        {
            return;
        }

        process.Kill();
        process.WaitForExit();
        process.Dispose();
        process = null;
        WaitUntil(answering: false);
    }

    /// <summary>A separate client for tests that inspect or tamper with what the service stored.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(Configuration);

    public ValueTask DisposeAsync()
    {
        Stop();
        if (directory is not null)
        {
            Directory.Delete(directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private void WaitUntil(bool answering)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                if (answering)
                {
                    return;
                }
            }
            catch (SocketException)
            {
                if (!answering)
                {
                    return;
                }
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"redis-server on port {Port} did not {(answering ? "start" : "stop")} within 15 s.");
    }

    private static string FindExecutable()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin").Append("/usr/sbin");
        return path.Select(dir => Path.Combine(dir, "redis-server")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "redis-server is not installed. The README's test command installs it (apt-get install -y redis-server).");
    }
}
