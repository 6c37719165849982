using System.Net;
using System.Net.Sockets;

namespace LiteKube.Benchmarks.Servers;

/// <summary>Fails fast, with a way out, when another process already holds a port we need.</summary>
public static class LoopbackPort
{
    /// <summary>Every port on every member address of a cluster.</summary>
    public static void EnsureFree(IEnumerable<IPAddress> addresses, IReadOnlyList<int> ports, string addressOption)
    {
        foreach (var address in addresses)
        {
            foreach (var port in ports)
            {
                EnsureFree(address, port, addressOption);
            }
        }
    }

    public static void EnsureFree(IPAddress address, int port, string addressOption)
    {
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException(
                $"{address}:{port} is not available ({e.SocketErrorCode}); pass {addressOption} 127.0.0.N with a free address", e);
        }
        finally
        {
            listener.Stop();
        }
    }
}
