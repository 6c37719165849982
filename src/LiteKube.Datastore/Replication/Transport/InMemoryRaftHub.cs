using System.Collections.Concurrent;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// The "network" for members in one process (tests, in-process clusters): members register under
/// an address, and the hub can cut links between member ids or drop chosen messages to simulate
/// partitions and loss. Thread-safe.
/// </summary>
public sealed class InMemoryRaftHub
{
    private readonly ConcurrentDictionary<string, InMemoryRaftTransport> members = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private HashSet<(ulong From, ulong To)> cuts = [];
    private Func<Message, bool>? drop;

    /// <summary>Creates a member's transport, reachable at <paramref name="address"/> once started.</summary>
    public InMemoryRaftTransport Connect(string address, ISnapshotSource snapshots, RaftTransportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var transport = new InMemoryRaftTransport(this, address, snapshots, options ?? new RaftTransportOptions());
        if (!members.TryAdd(address, transport))
        {
            throw new InvalidOperationException($"address {address} is already taken by another member");
        }
        return transport;
    }

    /// <summary>Cuts every link, both ways, between the members in <paramref name="side"/> and
    /// all others (members outside both sets included). Adds to existing cuts.</summary>
    public void Partition(IReadOnlyCollection<ulong> side, IReadOnlyCollection<ulong> rest)
    {
        lock (gate)
        {
            var next = new HashSet<(ulong, ulong)>(cuts);
            foreach (var a in side)
            {
                foreach (var b in rest)
                {
                    next.Add((a, b));
                    next.Add((b, a));
                }
            }
            cuts = next;
        }
    }

    /// <summary>Cuts the link from <paramref name="from"/> to <paramref name="to"/> only.</summary>
    public void Cut(ulong from, ulong to)
    {
        lock (gate)
        {
            cuts = new HashSet<(ulong, ulong)>(cuts) { (from, to) };
        }
    }

    /// <summary>Restores every link and stops dropping.</summary>
    public void Heal()
    {
        lock (gate)
        {
            cuts = [];
            drop = null;
        }
    }

    /// <summary>Silently loses every message (snapshots included) the predicate picks, as a lossy
    /// network does; null stops dropping.</summary>
    public void DropWhere(Func<Message, bool>? predicate)
    {
        lock (gate)
        {
            drop = predicate;
        }
    }

    internal bool IsCut(ulong from, ulong to) => Volatile.Read(ref cuts).Contains((from, to));

    internal bool ShouldDrop(Message message) => Volatile.Read(ref drop)?.Invoke(message) ?? false;

    internal InMemoryRaftTransport? Find(string address) =>
        members.TryGetValue(address, out var member) && member.IsAccepting ? member : null;

    internal void Leave(InMemoryRaftTransport member) =>
        members.TryRemove(new KeyValuePair<string, InMemoryRaftTransport>(member.Address, member));
}
