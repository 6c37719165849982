using System.Text;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Tests.Raft;

/// <summary>
/// The world of a scenario script: Raft nodes, their "disks" (MemoryRaftStorage) and state
/// machines (the list of applied data), and a network that delivers messages only when told to.
/// Every command returns its trace; commands live in ScenarioEnv.Commands.cs.
/// </summary>
internal sealed partial class ScenarioEnv
{
    internal sealed class Node
    {
        public required RaftNode Raft { get; set; }
        public required MemoryRaftStorage Storage { get; init; }
        public List<string> Applied { get; set; } = [];
        public ulong AppliedIndex { get; set; }
    }

    /// <summary>Election timeouts are exactly ElectionTick, so "tick-election" is deterministic.</summary>
    private sealed class NoJitter : Random
    {
        public override int Next(int maxValue) => 0;
    }

    private const int ElectionTick = 10;
    private const int HeartbeatTick = 1;

    private readonly SortedDictionary<ulong, Node> nodes = [];
    private readonly List<Message> inFlight = [];
    private readonly List<HashSet<ulong>> partitions = [];
    private readonly StringBuilder output = new();
    private bool quiet;
    private bool messagesOnly;
    // log-level silences the traces of stabilize and friends, never a command's own answer.
    private bool tracing;

    private void Line(string text, int indent = 0)
    {
        if (!(quiet && tracing))
        {
            output.Append(new string(' ', indent)).Append(text).Append('\n');
        }
    }

    public string Run(string command)
    {
        output.Clear();
        var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        tracing = parts[0] is "stabilize" or "process-ready" or "deliver-msgs" or "drop-msgs";
        try
        {
            Dispatch(parts[0], parts[1..]);
        }
        catch (Exception ex) when (ex is not ScenarioUsageException)
        {
            output.Append($"error: {ex.GetType().Name}: {ex.Message}\n");
        }
        var text = output.ToString().TrimEnd('\n');
        return text.Length == 0 ? "ok" : text;
    }

    private RaftNode NewRaft(ulong id, MemoryRaftStorage storage, ulong applied) =>
        new(new RaftConfig
        {
            Id = id,
            Storage = storage,
            Random = new NoJitter(),
            ElectionTick = ElectionTick,
            HeartbeatTick = HeartbeatTick,
            Applied = applied,
            MaxInflightMessages = 4,
            MaxEntriesPerMessage = 8,
        });

    private Node Get(string id) =>
        nodes.TryGetValue(ulong.Parse(id), out var n) ? n : throw new ScenarioUsageException($"no node {id}");

    private bool Connected(ulong a, ulong b) =>
        partitions.Count == 0 || partitions.Any(p => p.Contains(a) && p.Contains(b));

    /// <summary>Persists, sends, applies and advances one Ready, as a host must.</summary>
    private void ProcessReady(ulong id)
    {
        var node = nodes[id];
        if (!node.Raft.HasReady)
        {
            return;
        }
        var rd = node.Raft.Ready();
        if (messagesOnly)
        {
            if (rd.Messages.Count > 0)
            {
                Line($"> {id} sending messages");
                foreach (var m in rd.Messages)
                {
                    Line(RaftFormat.Message(m), 2);
                }
            }
        }
        else
        {
            Line($"> {id} handling Ready");
            foreach (var l in RaftFormat.Ready(rd))
            {
                Line(l, 2);
            }
        }
        if (rd.Snapshot is { } snap)
        {
            node.Storage.ApplySnapshot(snap);
            node.Applied = Decode(snap.Data);
            node.AppliedIndex = snap.Index;
        }
        node.Storage.Append(rd.Entries);
        if (rd.HardState is { } hs)
        {
            node.Storage.SetHardState(hs);
        }
        inFlight.AddRange(rd.Messages);
        foreach (var e in rd.CommittedEntries)
        {
            if (e.Type == EntryType.Normal && e.Data.Length > 0)
            {
                node.Applied.Add(Encoding.UTF8.GetString(e.Data));
            }
            node.AppliedIndex = e.Index;
        }
        node.Raft.Advance();
    }

    private void DeliverTo(ulong id)
    {
        var batch = inFlight.Where(m => m.To == id).ToList();
        if (batch.Count == 0)
        {
            return;
        }
        inFlight.RemoveAll(m => m.To == id);
        Line($"> {id} receiving messages");
        foreach (var m in batch)
        {
            if (!Connected(m.From, m.To) || !nodes.ContainsKey(id))
            {
                Line($"{RaftFormat.Message(m)} DROPPED", 2);
                ReportIfSnapshot(m, failed: true);
                continue;
            }
            Line(RaftFormat.Message(m), 2);
            nodes[id].Raft.Step(m);
            ReportIfSnapshot(m, failed: false);
        }
    }

    // The transport reports the fate of a snapshot stream to the leader.
    private void ReportIfSnapshot(Message m, bool failed)
    {
        if (m.Type == MessageType.Snapshot && nodes.TryGetValue(m.From, out var sender))
        {
            sender.Raft.ReportSnapshot(m.To, failed);
        }
    }

    private bool Stabilize(IReadOnlyCollection<ulong> ids)
    {
        var any = false;
        while (true)
        {
            var done = true;
            foreach (var id in ids)
            {
                if (nodes[id].Raft.HasReady)
                {
                    done = false;
                    ProcessReady(id);
                }
            }
            foreach (var id in ids)
            {
                if (inFlight.Any(m => m.To == id))
                {
                    done = false;
                    DeliverTo(id);
                }
            }
            if (done)
            {
                return any;
            }
            any = true;
        }
    }

    // The state machine's snapshot format: applied data joined by newlines.
    private static byte[] Encode(List<string> applied) => Encoding.UTF8.GetBytes(string.Join('\n', applied));

    private static List<string> Decode(byte[] data) =>
        data.Length == 0 ? [] : Encoding.UTF8.GetString(data).Split('\n').ToList();
}

internal sealed class ScenarioUsageException(string message) : Exception(message);
