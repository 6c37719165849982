using System.Net;
using System.Net.Sockets;

namespace LiteKube.EndToEnd.Tests.Infrastructure;

/// <summary>Hands every test node its own loopback address (127.0.0.10, 127.0.0.11, ...) so
/// that each keeps the default ports, as ARCHITECTURE section 1 says tests do. Linux routes all
/// of 127.0.0.0/8 to the loopback interface, so no setup is needed.</summary>
public static class LoopbackAddresses
{
    private const int First = 10;
    private const int PerBlock = 250 - First;
    private static int next = -1;

    /// <summary>A fresh address no other test of this process has had, whose etcd port is free
    /// (a server left over from an earlier, killed run may still hold one).</summary>
    public static IPAddress Allocate()
    {
        while (true)
        {
            var index = Interlocked.Increment(ref next);
            var block = index / PerBlock;
            if (block > 255)
            {
                throw new InvalidOperationException("ran out of loopback addresses for tests");
            }
            var address = new IPAddress([127, 0, (byte)block, (byte)(First + index % PerBlock)]);
            if (IsFree(address, 2379))
            {
                return address;
            }
        }
    }

    public static bool IsFree(IPAddress address, int port)
    {
        try
        {
            var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
