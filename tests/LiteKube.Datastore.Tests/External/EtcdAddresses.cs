using System.Net;
using System.Net.Sockets;

namespace LiteKube.Datastore.Tests.External;

/// <summary>
/// Hands each test etcd cluster its own block of loopback addresses 127.0.N.1, .2, .3 ... so that
/// every member keeps etcd's usual ports (2379 for clients, 2380 for peers) and clusters of
/// parallel test classes and processes never meet.
/// </summary>
/// <remarks>The litekube fault cluster takes its blocks here too, with its own ports.
/// Reservations are flocks on the same directory the end-to-end tests use
/// (<c>/tmp/litekube-e2e/addresses</c>), held until the cluster is disposed or the process exits.
/// End-to-end nodes use 127.0.B.10 and up, so the .1-.9 hosts here never collide with them.</remarks>
internal sealed class EtcdAddresses : IDisposable
{
    public const int ClientPort = 2379;
    public const int PeerPort = 2380;
    private const int MaxMembers = 9;
    private static readonly string ReservationDirectory = Path.Combine(Path.GetTempPath(), "litekube-e2e", "addresses");
    private readonly List<FileStream> reservations;

    private EtcdAddresses(IReadOnlyList<IPAddress> addresses, List<FileStream> reservations)
    {
        Addresses = addresses;
        this.reservations = reservations;
    }

    public IReadOnlyList<IPAddress> Addresses { get; }

    public static EtcdAddresses Reserve(int members) => Reserve(members, [ClientPort, PeerPort]);

    /// <summary>A block whose every address has all of <paramref name="ports"/> free.</summary>
    public static EtcdAddresses Reserve(int members, IReadOnlyList<int> ports)
    {
        if (members is < 1 or > MaxMembers)
        {
            throw new ArgumentOutOfRangeException(nameof(members), members, $"a test etcd cluster has 1 to {MaxMembers} members");
        }

        Directory.CreateDirectory(ReservationDirectory);
        // Blocks 100-249 of 127.0.N.0/24, starting at a random one: other processes start elsewhere.
        var start = Random.Shared.Next(150);
        for (var attempt = 0; attempt < 150; attempt++)
        {
            var block = 100 + (start + attempt) % 150;
            var addresses = Enumerable.Range(1, members).Select(host => new IPAddress([127, 0, (byte)block, (byte)host])).ToArray();
            var held = new List<FileStream>();
            if (addresses.All(address => TryReserve(address, held) && ports.All(port => IsFree(address, port))))
            {
                return new EtcdAddresses(addresses, held);
            }

            held.ForEach(stream => stream.Dispose());
        }

        throw new InvalidOperationException("no free block of loopback addresses 127.0.N.1-9 for a test etcd cluster");
    }

    private static bool TryReserve(IPAddress address, List<FileStream> held)
    {
        try
        {
            // FileShare.None is an exclusive flock on Linux; the kernel drops it when the process exits.
            held.Add(new FileStream(Path.Combine(ReservationDirectory, $"{address}.lock"),
                FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool IsFree(IPAddress address, int port)
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

    public void Dispose() => reservations.ForEach(stream => stream.Dispose());
}
