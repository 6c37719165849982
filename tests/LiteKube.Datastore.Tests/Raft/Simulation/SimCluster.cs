using System.Text;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Tests.Raft.Simulation;

/// <summary>
/// A deterministic discrete-event simulation of a Raft cluster: simulated clock (ms), a network
/// that drops, delays, reorders, duplicates and partitions, and disks whose writes take time and
/// are lost on a crash. Everything random comes from one seeded <see cref="Random"/>, so a seed
/// replays exactly. Faults and membership changes are in SimCluster.Faults.cs.
/// </summary>
internal sealed partial class SimCluster
{
    private const int TickMs = 10;
    private const int ElectionTick = 10;

    private readonly Random rng;
    private readonly PriorityQueue<Action, (long, long)> events = new();
    private readonly SortedDictionary<ulong, SimNode> nodes = [];
    private readonly SimInvariants invariants = new();
    private readonly Queue<string>? trace;
    private readonly int initialSize;
    private long sequence;
    private int proposals;
    // Outstanding reads: context -> global applied index when issued.
    private readonly Dictionary<string, ulong> reads = [];

    public SimCluster(int seed, int size, bool traceEvents)
    {
        rng = new Random(seed);
        Seed = seed;
        initialSize = size;
        trace = traceEvents ? new Queue<string>() : null;
        var voters = Enumerable.Range(1, size).Select(i => (ulong)i).ToArray();
        foreach (var id in voters)
        {
            var node = new SimNode(id, MemoryRaftStorage.Bootstrap(new ConfState(voters, [])));
            nodes[id] = node;
            Start(node);
        }
    }

    public int Seed { get; }

    public long Now { get; private set; }

    public int Elections { get; private set; }

    public string RecentTrace => trace is null ? "(run with RAFT_SIM_SEED to trace)" : string.Join('\n', trace);

    private void Trace(string line)
    {
        if (trace is null)
        {
            return;
        }
        trace.Enqueue($"{Now,6}ms {line}");
        if (trace.Count > 400)
        {
            trace.Dequeue();
        }
    }

    private void At(long delayMs, Action action) => events.Enqueue(action, (Now + delayMs, sequence++));

    /// <summary>Runs events until <paramref name="untilMs"/>, checking the invariants after each.</summary>
    public void RunUntil(long untilMs)
    {
        while (events.TryPeek(out _, out var when) && when.Item1 <= untilMs)
        {
            var action = events.Dequeue();
            Now = when.Item1;
            action();
            PumpReadies();
            invariants.CheckLeaders(nodes.Values);
        }
        Now = untilMs;
    }

    private void Start(SimNode node)
    {
        var snapshot = node.Disk.Snapshot();
        (node.AppliedIndex, node.StateHash) = (snapshot.Index, SimNode.DecodeState(snapshot.Data).Hash);
        node.Raft = new RaftNode(new RaftConfig
        {
            Id = node.Id,
            Storage = node.Disk,
            Random = new Random(rng.Next()),
            ElectionTick = ElectionTick,
            HeartbeatTick = 1,
            Applied = snapshot.Index,
            MaxInflightMessages = 8,
            MaxEntriesPerMessage = 16,
        });
        var life = node.Incarnation;
        // Nodes tick out of phase with each other, as real clocks do.
        At(rng.Next(1, TickMs + 1), () => TickLoop(node, life));
    }

    private void TickLoop(SimNode node, int life)
    {
        if (node.Incarnation != life || node.Raft is null)
        {
            return;
        }
        var wasFollower = node.Raft.Role == StateRole.Follower;
        node.Raft.Tick();
        if (wasFollower && node.Raft.Role != StateRole.Follower)
        {
            Elections++;
        }
        At(TickMs, () => TickLoop(node, life));
    }

    /// <summary>Takes a Ready from every node that is not already writing one; the write completes later.</summary>
    private void PumpReadies()
    {
        foreach (var node in nodes.Values)
        {
            if (node.Raft is { HasReady: true } raft && node.Writing is null)
            {
                var ready = raft.Ready();
                if (ready.MessagesMayPrecedeWrite)
                {
                    // As the host does: a leader's messages leave before its write completes.
                    SendAll(node, ready.Messages);
                    ready = ready with { Messages = [] };
                }
                node.Writing = ready;
                var life = node.Incarnation;
                At(ready.MustSync ? rng.Next(1, 6) : 0, () => CompleteWrite(node, life));
            }
        }
    }

    /// <summary>The fsync finished: the Ready is on disk, its messages go out, its entries are applied.</summary>
    private void CompleteWrite(SimNode node, int life)
    {
        if (node.Incarnation != life || node.Raft is null || node.Writing is null)
        {
            return;
        }
        var ready = node.Writing;
        node.Writing = null;
        if (ready.Snapshot is { } snap)
        {
            node.Disk.ApplySnapshot(snap);
            var hash = SimNode.DecodeState(snap.Data).Hash;
            invariants.CheckSnapshotInstall(node, snap, hash);
            (node.AppliedIndex, node.StateHash) = (snap.Index, hash);
            Trace($"{node.Id} installed snapshot {snap.Term}/{snap.Index}");
        }
        node.Disk.Append(ready.Entries);
        invariants.CheckPersisted(node, ready.Entries);
        if (ready.HardState is { } hs)
        {
            node.Disk.SetHardState(hs);
        }
        SendAll(node, ready.Messages);
        foreach (var e in ready.CommittedEntries)
        {
            var hash = SimNode.Chain(node.StateHash, e);
            invariants.CheckApply(node, e, hash);
            (node.AppliedIndex, node.StateHash) = (e.Index, hash);
        }
        foreach (var rs in ready.ReadStates)
        {
            var key = Encoding.UTF8.GetString(rs.Context);
            if (reads.Remove(key, out var appliedWhenIssued))
            {
                invariants.CheckRead(rs.Index, appliedWhenIssued, node.Id);
            }
        }
        if (ready.SoftState is { } ss)
        {
            Trace($"{node.Id} is {ss.Role} (lead {ss.Lead}) term {node.Raft.Term}");
        }
        node.Raft.Advance();
        MaybeSnapshot(node);
    }

    private void SendAll(SimNode node, IReadOnlyList<Message> messages)
    {
        foreach (var m in messages)
        {
            invariants.CheckSent(node, m);
            Send(m);
        }
    }

    /// <summary>Every node compacts its log now and then, keeping a few entries for slow followers.</summary>
    private void MaybeSnapshot(SimNode node)
    {
        var disk = node.Disk;
        if (node.AppliedIndex < disk.Snapshot().Index + 30 || rng.Next(4) != 0)
        {
            return;
        }
        disk.CreateSnapshot(node.AppliedIndex, node.Raft!.ConfState, SimNode.EncodeState(node.AppliedIndex, node.StateHash));
        disk.Compact(node.AppliedIndex - (ulong)rng.Next(0, 10));
        Trace($"{node.Id} snapshot at {node.AppliedIndex}, log from {disk.FirstIndex}");
    }

    public void Propose()
    {
        var up = nodes.Values.Where(n => n.Up).ToList();
        if (up.Count == 0)
        {
            return;
        }
        var node = up[rng.Next(up.Count)];
        node.Raft!.Propose(Encoding.UTF8.GetBytes($"put-{Seed}-{proposals++}"));
    }

    public void Read()
    {
        var up = nodes.Values.Where(n => n.Up).ToList();
        if (up.Count == 0)
        {
            return;
        }
        var node = up[rng.Next(up.Count)];
        var context = $"read-{proposals++}";
        reads[context] = invariants.MaxApplied;
        node.Raft!.ReadIndex(Encoding.UTF8.GetBytes(context));
    }

    public SimNode? Leader() =>
        nodes.Values.Where(n => n.Raft is { Role: StateRole.Leader }).OrderByDescending(n => n.Raft!.Term).FirstOrDefault();

    public int NodeCount => nodes.Count;
}
