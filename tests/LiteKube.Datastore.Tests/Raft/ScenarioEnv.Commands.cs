using System.Text;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Tests.Raft;

// The scenario commands. Node arguments are member ids.
internal sealed partial class ScenarioEnv
{
    private void Dispatch(string command, string[] args)
    {
        switch (command)
        {
            case "add-nodes": AddNodes(args); break;
            case "campaign": Get(args[0]).Raft.Campaign(); break;
            case "propose": Report(Get(args[0]).Raft.Propose(Encoding.UTF8.GetBytes(args[1]))); break;
            case "propose-conf-change": ProposeConfChange(args); break;
            case "read-index": Report(Get(args[0]).Raft.ReadIndex(Encoding.UTF8.GetBytes(args[1]))); break;
            case "transfer-leader": Get(args[0]).Raft.TransferLeader(ulong.Parse(args[1])); break;
            // report-unreachable ID PEER: ID's transport could not reach PEER (connection failed).
            case "report-unreachable": Get(args[0]).Raft.ReportUnreachable(ulong.Parse(args[1])); break;
            case "stabilize": Stabilize(Ids(args)); break;
            case "process-ready": foreach (var id in Ids(args)) ProcessReady(id); break;
            case "deliver-msgs": foreach (var id in Ids(args)) DeliverTo(id); break;
            case "drop-msgs": DropMessages(Ids(args)); break;
            case "tick-heartbeat": Tick(args, HeartbeatTick); break;
            case "tick-election": Tick(args, ElectionTick); break;
            case "partition": Partition(args); break;
            case "isolate": Partition([args[0], string.Join(',', nodes.Keys.Where(k => k != ulong.Parse(args[0])))]); break;
            case "heal": partitions.Clear(); break;
            case "compact": Compact(Get(args[0]), ulong.Parse(args[1])); break;
            case "restart": Restart(args[0]); break;
            case "raft-state": RaftState(); break;
            case "raft-log": RaftLog(args[0]); break;
            case "status": Status(args[0]); break;
            case "applied": Applied(); break;
            case "log-level": LogLevel(args[0]); break;
            default: throw new ScenarioUsageException($"unknown command {command}");
        }
    }

    private IReadOnlyCollection<ulong> Ids(string[] args) =>
        args.Length == 0 ? nodes.Keys.ToList() : args.Select(a => Get(a).Raft.Id).ToList();

    private void Report(bool accepted)
    {
        if (!accepted)
        {
            Line("dropped");
        }
    }

    /// <summary>add-nodes N [voters=1,2,3] [learners=4]: new ids follow the highest so far. With
    /// voters/learners the nodes are founding members (bootstrap snapshot at 1/1); without, they start
    /// empty and wait to be added and sent a snapshot.</summary>
    private void AddNodes(string[] args)
    {
        var count = int.Parse(args[0]);
        var options = args.Skip(1).Select(a => a.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        IReadOnlyList<ulong> List(string key) =>
            options.TryGetValue(key, out var v) ? v.Split(',').Select(ulong.Parse).ToList() : [];
        var voters = List("voters");
        var learners = List("learners");
        var first = nodes.Count == 0 ? 1 : nodes.Keys.Max() + 1;
        for (var i = 0UL; i < (ulong)count; i++)
        {
            var id = first + i;
            var storage = voters.Count > 0
                ? MemoryRaftStorage.Bootstrap(new ConfState(voters, learners))
                : new MemoryRaftStorage();
            var raft = NewRaft(id, storage, 0);
            nodes[id] = new Node { Raft = raft, Storage = storage, AppliedIndex = raft.Applied };
            Line($"node {id}: {raft.ConfState} first={storage.FirstIndex} last={storage.LastIndex}");
        }
    }

    private void ProposeConfChange(string[] args)
    {
        var type = args[1] switch
        {
            "add-voter" => ConfChangeType.AddVoter,
            "add-learner" => ConfChangeType.AddLearner,
            "remove" => ConfChangeType.RemoveNode,
            _ => throw new ScenarioUsageException($"unknown conf change {args[1]}"),
        };
        Report(Get(args[0]).Raft.ProposeConfChange(new ConfChange(type, ulong.Parse(args[2]))));
    }

    /// <summary>tick-heartbeat ID [N] / tick-election ID [N]: N times (default 1) that many ticks.</summary>
    private void Tick(string[] args, int ticks)
    {
        var node = Get(args[0]);
        var rounds = args.Length > 1 ? int.Parse(args[1]) : 1;
        for (var i = 0; i < ticks * rounds; i++)
        {
            node.Raft.Tick();
        }
    }

    /// <summary>partition 1,2 3: nodes in different groups cannot reach each other until "heal".</summary>
    private void Partition(string[] groups)
    {
        partitions.Clear();
        foreach (var g in groups)
        {
            partitions.Add(g.Split(',').Select(ulong.Parse).ToHashSet());
        }
    }

    private void DropMessages(IReadOnlyCollection<ulong> ids)
    {
        foreach (var m in inFlight.Where(m => ids.Contains(m.To)).ToList())
        {
            Line($"dropped: {RaftFormat.Message(m)}");
            ReportIfSnapshot(m, failed: true);
            inFlight.Remove(m);
        }
    }

    private void Compact(Node node, ulong index)
    {
        if (index > node.AppliedIndex)
        {
            throw new ScenarioUsageException($"cannot snapshot at {index}: applied is {node.AppliedIndex}");
        }
        // The state machine is only kept at the applied index, so snapshots are taken there.
        node.Storage.CreateSnapshot(node.AppliedIndex, node.Raft.ConfState, Encode(node.Applied));
        node.Storage.Compact(index);
        Line($"snapshot at {node.AppliedIndex}, log now [{node.Storage.FirstIndex}, {node.Storage.LastIndex}]");
    }

    /// <summary>restart ID: a crash. The node loses everything not persisted through a processed Ready,
    /// and comes back from its storage with the state machine of its last snapshot.</summary>
    private void Restart(string idText)
    {
        var node = Get(idText);
        var snapshot = node.Storage.Snapshot();
        node.Applied = Decode(snapshot.Data);
        node.AppliedIndex = snapshot.Index;
        node.Raft = NewRaft(node.Raft.Id, node.Storage, snapshot.Index);
    }

    private void RaftState()
    {
        foreach (var (id, n) in nodes)
        {
            var r = n.Raft;
            var role = r.ConfState.Voters.Contains(id) ? "Voter" : r.ConfState.Learners.Contains(id) ? "Learner" : "NonMember";
            Line($"{id}: {r.Role} ({role}) Term:{r.Term} Lead:{r.Lead} Commit:{r.Committed} Applied:{r.Applied} Last:{r.LastIndex}");
        }
    }

    private void RaftLog(string idText)
    {
        var node = Get(idText);
        var s = node.Storage;
        Line($"snapshot {RaftFormat.Snapshot(s.Snapshot())}");
        if (s.LastIndex >= s.FirstIndex)
        {
            foreach (var e in s.Entries(s.FirstIndex, s.LastIndex + 1, int.MaxValue))
            {
                Line(RaftFormat.Entry(e));
            }
        }
    }

    private void Status(string idText)
    {
        foreach (var (id, p) in Get(idText).Raft.ProgressSummary())
        {
            Line($"{id}: {p}");
        }
    }

    private void Applied()
    {
        foreach (var (id, n) in nodes)
        {
            Line($"{id}: [{string.Join(' ', n.Applied)}]");
        }
    }

    /// <summary>log-level none|messages|all: how much stabilize/process-ready print.</summary>
    private void LogLevel(string level)
    {
        quiet = level == "none";
        messagesOnly = level == "messages";
        if (!quiet && !messagesOnly && level != "all")
        {
            throw new ScenarioUsageException($"unknown log level {level}");
        }
    }
}
