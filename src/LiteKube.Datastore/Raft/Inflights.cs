namespace LiteKube.Datastore.Raft;

/// <summary>
/// The last indexes of append messages sent to one follower and not yet acknowledged, oldest
/// first, in a fixed ring. When full, the leader stops sending to that follower: this bounds how
/// much the leader pushes into a slow or dead link.
/// </summary>
internal sealed class Inflights
{
    private readonly ulong[] buffer;
    private int start;

    public Inflights(int capacity)
    {
        if (capacity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "the in-flight window must hold at least one message");
        }
        buffer = new ulong[capacity];
    }

    public int Count { get; private set; }

    public bool Full => Count == buffer.Length;

    public void Add(ulong index)
    {
        if (Full)
        {
            throw new InvalidOperationException("cannot add to a full in-flight window");
        }
        buffer[(start + Count) % buffer.Length] = index;
        Count++;
    }

    /// <summary>Frees every message whose last index is &lt;= <paramref name="index"/> (acknowledged).</summary>
    public void FreeLE(ulong index)
    {
        while (Count > 0 && buffer[start] <= index)
        {
            start = (start + 1) % buffer.Length;
            Count--;
        }
        if (Count == 0)
        {
            start = 0;
        }
    }

    /// <summary>Frees the oldest slot: used when a heartbeat shows the follower alive although the
    /// window stayed full, as happens when every append in it was lost.</summary>
    public void FreeFirstOne()
    {
        if (Count > 0)
        {
            FreeLE(buffer[start]);
        }
    }

    public void Reset()
    {
        start = 0;
        Count = 0;
    }
}
