namespace LiteKube.Datastore.Raft;

/// <summary>
/// Read-index requests waiting on the leader for a heartbeat round to confirm that it still leads
/// (Raft §6.4). Each request remembers the commit index at arrival; once a majority acknowledges a
/// heartbeat carrying its context, it and every older request can be answered with that index.
/// </summary>
internal sealed class ReadOnlyQueue
{
    private sealed record Pending(ulong Index, Message Request, HashSet<ulong> Acks);

    private readonly Dictionary<string, Pending> pending = [];
    private readonly List<string> queue = [];

    private static string Key(byte[] context) => Convert.ToHexString(context);

    public void Add(ulong index, Message request)
    {
        var key = Key(request.Context ?? []);
        if (pending.ContainsKey(key))
        {
            // Same context already waiting: the earlier round answers it.
            return;
        }
        pending[key] = new Pending(index, request, []);
        queue.Add(key);
    }

    /// <summary>Records an acknowledgement; returns who has acknowledged the context so far (empty if unknown).</summary>
    public IReadOnlySet<ulong> RecvAck(ulong from, byte[] context)
    {
        if (!pending.TryGetValue(Key(context), out var p))
        {
            return new HashSet<ulong>();
        }
        p.Acks.Add(from);
        return p.Acks;
    }

    /// <summary>Removes and returns every request up to and including <paramref name="context"/>, with its read index.</summary>
    public List<(ulong Index, Message Request)> Advance(byte[] context)
    {
        var key = Key(context);
        var at = queue.IndexOf(key);
        if (at < 0)
        {
            return [];
        }
        var released = new List<(ulong, Message)>();
        foreach (var k in queue.Take(at + 1))
        {
            var p = pending[k];
            released.Add((p.Index, p.Request));
            pending.Remove(k);
        }
        queue.RemoveRange(0, at + 1);
        return released;
    }

    public byte[]? LastPendingContext => queue.Count == 0 ? null : pending[queue[^1]].Request.Context;

    public void Clear()
    {
        pending.Clear();
        queue.Clear();
    }
}
