using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Tests.Raft.Simulation;

/// <summary>
/// The safety properties of Raft (§5.2–5.4 and Figure 3), checked as the simulation runs:
/// election safety, log matching, leader completeness, state machine safety (identical applied
/// prefixes), plus durability of acknowledgements and linearizability of read indexes.
/// </summary>
internal sealed class SimInvariants
{
    private readonly Dictionary<ulong, ulong> leaderOfTerm = [];
    private readonly HashSet<(ulong Id, ulong Term)> checkedLeaders = [];
    // (index, term) -> (hash of data, term of the previous entry): log matching by induction.
    private readonly Dictionary<(ulong, ulong), (ulong, ulong)> entries = [];
    // index -> (term, state hash after applying it), for every index any node applied.
    private readonly Dictionary<ulong, (ulong Term, ulong Hash)> applied = [];

    public ulong MaxApplied { get; private set; }

    public int Violations { get; private set; }

    public static SimViolationException Fail(string what) => new(what);

    /// <summary>Election safety: at most one leader per term.</summary>
    public void CheckLeaders(IEnumerable<SimNode> nodes)
    {
        foreach (var n in nodes)
        {
            if (n.Raft is not { Role: StateRole.Leader } r)
            {
                continue;
            }
            if (leaderOfTerm.TryGetValue(r.Term, out var other) && other != n.Id)
            {
                throw Fail($"two leaders in term {r.Term}: {other} and {n.Id}");
            }
            leaderOfTerm[r.Term] = n.Id;
            if (checkedLeaders.Add((n.Id, r.Term)))
            {
                CheckLeaderCompleteness(r);
            }
        }
    }

    /// <summary>Leader completeness: a new leader's log holds every entry anyone has applied.</summary>
    private void CheckLeaderCompleteness(RaftNode leader)
    {
        for (var i = Math.Max(leader.FirstIndex, 2); i <= MaxApplied; i++)
        {
            if (!applied.TryGetValue(i, out var a))
            {
                continue;
            }
            if (!leader.TryGetTerm(i, out var term) || term != a.Term)
            {
                throw Fail($"leader {leader.Id} of term {leader.Term} lacks applied entry {i} (term {a.Term}); it has term {term}");
            }
        }
    }

    /// <summary>Log matching, checked on what reaches disk: an (index, term) pair always names the same
    /// entry, preceded by an entry of the same term.</summary>
    public void CheckPersisted(SimNode node, IReadOnlyList<Entry> written)
    {
        foreach (var e in written)
        {
            if (e.Index < node.Disk.FirstIndex)
            {
                continue;
            }
            var prevTerm = node.Disk.Term(e.Index - 1);
            var key = (e.Index, e.Term);
            var value = (Hash(e), prevTerm);
            if (entries.TryGetValue(key, out var seen) && seen != value)
            {
                throw Fail($"node {node.Id}: entry {e.Term}/{e.Index} differs from another log's (data or previous term)");
            }
            entries[key] = value;
        }
    }

    private static ulong Hash(Entry e) => SimNode.Chain(0, e with { Index = 0 });

    /// <summary>No message acknowledges what is not on disk: checked at the moment it is sent.</summary>
    public void CheckSent(SimNode node, Message m)
    {
        var disk = node.Disk;
        var hs = disk.HardState;
        switch (m.Type)
        {
            case MessageType.AppResp when !m.Reject:
                if (m.Index > disk.LastIndex)
                {
                    throw Fail($"node {node.Id} acknowledged index {m.Index} but has only {disk.LastIndex} on disk");
                }
                break;
            case MessageType.VoteResp when !m.Reject:
                if (hs.Term != m.Term || hs.Vote != m.To)
                {
                    throw Fail($"node {node.Id} granted a vote to {m.To} in term {m.Term} but its disk says term {hs.Term} vote {hs.Vote}");
                }
                break;
        }
        if (m.Term > 0 && m.Type != MessageType.PreVote && m.Type != MessageType.PreVoteResp && m.Term > hs.Term)
        {
            throw Fail($"node {node.Id} sent {m.Type} in term {m.Term} before persisting that term (disk {hs.Term})");
        }
    }

    /// <summary>State machine safety: every node applies the same entry at each index, in order.</summary>
    public void CheckApply(SimNode node, Entry e, ulong hashAfter)
    {
        if (e.Index != node.AppliedIndex + 1)
        {
            throw Fail($"node {node.Id} applied {e.Index} after {node.AppliedIndex}");
        }
        RecordState(node, e.Index, e.Term, hashAfter);
    }

    public void CheckSnapshotInstall(SimNode node, Snapshot s, ulong hash)
    {
        if (s.Index < node.AppliedIndex)
        {
            throw Fail($"node {node.Id} installed snapshot {s.Index} behind its applied index {node.AppliedIndex}");
        }
        RecordState(node, s.Index, s.Term, hash);
    }

    private void RecordState(SimNode node, ulong index, ulong term, ulong hash)
    {
        if (applied.TryGetValue(index, out var a))
        {
            if (a != (term, hash))
            {
                throw Fail($"node {node.Id} applied a different prefix at {index} (term {term} vs {a.Term})");
            }
        }
        else
        {
            applied[index] = (term, hash);
        }
        MaxApplied = Math.Max(MaxApplied, index);
    }

    /// <summary>Linearizable reads: a read point covers every write applied anywhere before the read began.</summary>
    public void CheckRead(ulong readIndex, ulong appliedWhenIssued, ulong node)
    {
        if (readIndex < appliedWhenIssued)
        {
            throw Fail($"node {node}: read index {readIndex} misses entries up to {appliedWhenIssued} applied before the read began");
        }
    }
}

internal sealed class SimViolationException(string message) : Exception(message);
