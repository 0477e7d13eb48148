using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Likeness.Testing.Faults;

/// <summary>A redis-server for a fault run: killed with SIGKILL and started again on the same port, with or without an append-only file.</summary>
internal sealed class FaultRedis : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("likeness-faults-redis-").FullName;
    private readonly bool persistence;
    private Process? process;

    public FaultRedis(bool persistence)
    {
        this.persistence = persistence;
        Port = LoopbackPorts.Free();
        Start();
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public int? ProcessId => process is { HasExited: false } ? process.Id : null;

    public void Start()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList =
            {
                "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory, "--save", "",
                "--appendonly", persistence ? "yes" : "no", "--appendfsync", "always", "--protected-mode", "yes",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        WaitUntil(answering: true);
    }

    /// <summary>SIGKILL: no shutdown, no final save.</summary>
    public void Kill()
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

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
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

            Thread.Sleep(20);
        }

        throw new TimeoutException($"redis-server on port {Port} did not {(answering ? "start" : "stop")} within 15 s.");
    }
}
