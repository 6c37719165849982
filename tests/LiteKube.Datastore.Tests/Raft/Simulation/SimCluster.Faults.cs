using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Tests.Raft.Simulation;

// The network, and the faults and operator actions injected during the chaos phase.
internal sealed partial class SimCluster
{
    private readonly Dictionary<ulong, int> partition = [];
    private bool chaos;
    private double dropRate;
    private double duplicateRate;
    private ulong nextId;

    public int Crashes { get; private set; }

    public int ConfChanges { get; private set; }

    private bool Connected(ulong a, ulong b) =>
        partition.GetValueOrDefault(a) == partition.GetValueOrDefault(b);

    private void Send(Message m)
    {
        if (chaos && rng.NextDouble() < dropRate)
        {
            Dropped(m);
            return;
        }
        var copies = chaos && rng.NextDouble() < duplicateRate ? 2 : 1;
        for (var i = 0; i < copies; i++)
        {
            // Independent delays reorder messages, also between the same two nodes.
            At(rng.Next(1, chaos ? 40 : 6), () => Deliver(m));
        }
    }

    private void Deliver(Message m)
    {
        if (!nodes.TryGetValue(m.To, out var to) || to.Raft is null || !Connected(m.From, m.To))
        {
            Dropped(m);
            // A real transport learns that its connection failed (refused, reset) and says so.
            ReportUnreachable(m.From, m.To);
            return;
        }
        if (trace is not null)
        {
            Trace(RaftFormat.Message(m));
        }
        to.Raft.Step(m);
        ReportSnapshot(m, failed: false);
    }

    private void Dropped(Message m) => ReportSnapshot(m, failed: true);

    private void ReportUnreachable(ulong from, ulong to)
    {
        if (nodes.TryGetValue(from, out var node) && node.Raft is not null)
        {
            node.Raft.ReportUnreachable(to);
        }
    }

    // A real transport streams snapshots and learns whether the stream completed.
    private void ReportSnapshot(Message m, bool failed)
    {
        if (m.Type == MessageType.Snapshot && nodes.TryGetValue(m.From, out var from) && from.Raft is not null)
        {
            from.Raft.ReportSnapshot(m.To, failed);
        }
    }

    /// <summary>Runs the chaos phase for <paramref name="chaosMs"/>, then heals everything and checks that
    /// the cluster commits a new entry on every member within <paramref name="calmMs"/>.</summary>
    public void Run(long chaosMs, long calmMs, bool membershipChanges)
    {
        nextId = (ulong)nodes.Count + 1;
        chaos = true;
        dropRate = rng.NextDouble() * 0.1;
        duplicateRate = rng.NextDouble() * 0.05;
        Recurring(() => rng.Next(3, 15), Propose);
        Recurring(() => rng.Next(20, 60), Read);
        Recurring(() => rng.Next(40, 160), () => Fault(membershipChanges));
        RunUntil(chaosMs);
        chaos = false;
        partition.Clear();
        foreach (var node in nodes.Values.Where(n => !n.Up))
        {
            Start(node);
        }
        RunUntil(chaosMs + calmMs / 2);
        CheckLiveness(chaosMs + calmMs);
    }

    private void Recurring(Func<int> interval, Action action)
    {
        void Again()
        {
            if (!chaos)
            {
                return;
            }
            action();
            At(interval(), Again);
        }
        At(interval(), Again);
    }

    private void Fault(bool membershipChanges)
    {
        switch (rng.Next(10))
        {
            case 0 or 1:
                Crash();
                break;
            case 2:
                Partition();
                break;
            case 3 when membershipChanges:
                ChangeMembership();
                break;
            case 4:
                TransferLeadership();
                break;
            case 5:
                FlakyLink();
                break;
        }
    }

    private void Crash()
    {
        var up = nodes.Values.Where(n => n.Up).ToList();
        if (up.Count == 0)
        {
            return;
        }
        var node = up[rng.Next(up.Count)];
        // Everything not written to disk is gone: the RaftNode, the Ready in flight, the state machine.
        node.Raft = null;
        node.Writing = null;
        node.Incarnation++;
        Crashes++;
        Trace($"{node.Id} crashed");
        var life = node.Incarnation;
        At(rng.Next(30, 400), () =>
        {
            if (node.Incarnation == life && !node.Up)
            {
                Trace($"{node.Id} restarts");
                Start(node);
            }
        });
    }

    private void Partition()
    {
        partition.Clear();
        foreach (var id in nodes.Keys)
        {
            partition[id] = rng.Next(2);
        }
        Trace($"partition {string.Join(' ', partition.Select(p => $"{p.Key}:{p.Value}"))}");
        At(rng.Next(50, 600), () =>
        {
            partition.Clear();
            Trace("healed");
        });
    }

    /// <summary>A wrong unreachability report: one member's link to another failed briefly while
    /// both are up (the follower gives up a live leader and campaigns early).</summary>
    private void FlakyLink()
    {
        var up = nodes.Values.Where(n => n.Up).ToList();
        if (up.Count < 2)
        {
            return;
        }
        var from = up[rng.Next(up.Count)];
        var to = from.Raft!.Lead != RaftNode.None && rng.Next(2) == 0 ? from.Raft.Lead : up[rng.Next(up.Count)].Id;
        Trace($"{from.Id} lost its link to {to}");
        ReportUnreachable(from.Id, to);
    }

    private void TransferLeadership()
    {
        if (Leader() is not { Raft: { } raft })
        {
            return;
        }
        var voters = raft.ConfState.Voters;
        raft.TransferLeader(voters[rng.Next(voters.Count)]);
    }

    /// <summary>Adds a learner (a brand-new id), promotes a learner, or removes a voter (perhaps the leader).</summary>
    private void ChangeMembership()
    {
        if (Leader() is not { Raft: { } raft })
        {
            return;
        }
        var conf = raft.ConfState;
        ConfChange change;
        if (conf.Learners.Count > 0 && rng.Next(3) != 0)
        {
            change = new ConfChange(ConfChangeType.AddVoter, conf.Learners[rng.Next(conf.Learners.Count)]);
        }
        else if (conf.Voters.Count + conf.Learners.Count <= initialSize && rng.Next(2) == 0)
        {
            var node = new SimNode(nextId++, new MemoryRaftStorage());
            nodes[node.Id] = node;
            Start(node);
            change = new ConfChange(ConfChangeType.AddLearner, node.Id);
        }
        else if (conf.Voters.Count >= initialSize)
        {
            change = new ConfChange(ConfChangeType.RemoveNode, conf.Voters[rng.Next(conf.Voters.Count)]);
        }
        else
        {
            return;
        }
        if (raft.ProposeConfChange(change))
        {
            ConfChanges++;
            Trace($"leader {raft.Id} proposed {change}");
        }
    }

    private void CheckLiveness(long deadline)
    {
        ulong target = 0;
        while (Now < deadline)
        {
            if (Leader() is { Raft: { } raft } leader)
            {
                if (target == 0 && raft.Propose("final"u8.ToArray()))
                {
                    target = raft.LastIndex;
                }
                var members = raft.ConfState.Voters.Concat(raft.ConfState.Learners);
                if (target > 0 && members.All(id => nodes[id].AppliedIndex >= target))
                {
                    return;
                }
            }
            RunUntil(Now + 50);
        }
        var states = string.Join(", ", nodes.Values.Select(n =>
            $"{n.Id}:{n.Raft?.Role.ToString() ?? "down"} t{n.Raft?.Term} applied {n.AppliedIndex} last {n.Raft?.LastIndex} conf {n.Raft?.ConfState}"));
        var progress = Leader() is { Raft: { } l } ? string.Join("; ", l.ProgressSummary().Select(p => $"{p.Key}: {p.Value}")) : "no leader";
        throw SimInvariants.Fail($"no progress after the faults stopped (target {target}): {states}\nleader progress: {progress}");
    }
}
