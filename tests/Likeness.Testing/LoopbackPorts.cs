using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Likeness.Testing;

/// <summary>
/// Loopback ports for the services and redis-servers the tests start.
/// </summary>
/// <remarks>
/// A port is drawn below the kernel's ephemeral range (<c>/proc/sys/net/ipv4/ip_local_port_range</c>, 32768–60999 by
/// default). A port the kernel handed out as free can be taken, before the child process binds it, by the source port of
/// any outgoing connection (a Redis client, a health probe), and a service restarted on its old port meets the same race;
/// ports outside that range are never given to outgoing connections. Within one test process no port is handed out twice.
/// </remarks>
public static class LoopbackPorts
{
    private const int Lowest = 10_000;
    private static readonly HashSet<int> Given = [];

    /// <summary>A loopback port nothing listens on right now and no outgoing connection will be given.</summary>
    /// <exception cref="InvalidOperationException">No such port was found in 1,000 tries.</exception>
    public static int Free()
    {
        var highest = EphemeralRangeStart() - 1;
        lock (Given)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(Lowest, highest + 1);
                if (!Given.Contains(port) && CanListenOn(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port between {Lowest} and {highest}.");
    }

    private static bool CanListenOn(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            var start = int.Parse(range[0], CultureInfo.InvariantCulture);
            return start > Lowest + 1000 ? start : 32768;
        }
        catch (IOException)
        {
            return 32768;
        }
    }
}
