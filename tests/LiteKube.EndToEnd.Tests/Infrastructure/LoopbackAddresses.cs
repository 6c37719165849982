using System.Net;
using System.Net.Sockets;

namespace LiteKube.EndToEnd.Tests.Infrastructure;

/// <summary>Hands every test node its own loopback address (127.0.0.10, 127.0.0.11, ...) so
/// that each keeps the default ports, as ARCHITECTURE section 1 says tests do. Linux routes all
/// of 127.0.0.0/8 to the loopback interface, so no setup is needed.</summary>
/// <remarks>An address is reserved for the life of the test process by an flock on
/// <c>/tmp/litekube-e2e/addresses/&lt;address&gt;.lock</c>, so that test processes running at
/// the same time (several test assemblies, or several developers on one machine) never get the
/// same address: a free port alone proves nothing once a test has stopped a node it restarts.
/// The kernel drops the reservations when the process exits, however it exits.</remarks>
public static class LoopbackAddresses
{
    private const int First = 10;
    private const int PerBlock = 250 - First;
    private static readonly string ReservationDirectory = Path.Combine(Path.GetTempPath(), "litekube-e2e", "addresses");
    private static readonly List<FileStream> Reservations = [];
    private static int next = -1;

    /// <summary>A fresh address no other test (of any process) holds, whose etcd, API and cluster ports are free
    /// (something other than a test, e.g. a developer's etcd, may listen there).</summary>
    public static IPAddress Allocate()
    {
        Directory.CreateDirectory(ReservationDirectory);
        while (true)
        {
            var index = Interlocked.Increment(ref next);
            var block = index / PerBlock;
            if (block > 255)
            {
                throw new InvalidOperationException("ran out of loopback addresses for tests");
            }
            var address = new IPAddress([127, 0, (byte)block, (byte)(First + index % PerBlock)]);
            if (TryReserve(address) && IsFree(address, LiteKubeProcess.EtcdPort) && IsFree(address, LiteKubeProcess.ApiPort)
                && IsFree(address, LiteKubeProcess.ClusterPort))
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

    private static bool TryReserve(IPAddress address)
    {
        try
        {
            // FileShare.None is an exclusive flock on Linux; kept open until the process exits.
            var reservation = new FileStream(Path.Combine(ReservationDirectory, $"{address}.lock"),
                FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            lock (Reservations)
            {
                Reservations.Add(reservation);
            }
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
