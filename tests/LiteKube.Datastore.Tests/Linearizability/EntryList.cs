namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>
/// The history as one doubly linked list of call and return entries in real-time order, with
/// "dancing links" removal and restore, as in Porcupine. Node 2i is operation i's call, node 2i+1
/// its return; <see cref="Head"/> is a sentinel.
/// </summary>
/// <remarks>On equal timestamps a call sorts before a return, so operations that touch at a
/// single instant count as concurrent (the permissive reading).</remarks>
internal sealed class EntryList
{
    private readonly int[] _next;
    private readonly int[] _prev;

    public const int End = -1;

    public int Head { get; }

    private EntryList(int nodes)
    {
        _next = new int[nodes + 1];
        _prev = new int[nodes + 1];
        Head = nodes;
    }

    public static EntryList Build<TOp>(IReadOnlyList<HistoryEntry<TOp>> history)
    {
        var nodes = Enumerable.Range(0, history.Count * 2).ToArray();
        long Time(int node) => IsCall(node) ? history[node >> 1].Call : history[node >> 1].Return;
        Array.Sort(nodes, (a, b) =>
        {
            var byTime = Time(a).CompareTo(Time(b));
            if (byTime != 0)
            {
                return byTime;
            }
            var byKind = (a & 1).CompareTo(b & 1);
            return byKind != 0 ? byKind : a.CompareTo(b);
        });

        var list = new EntryList(nodes.Length);
        var previous = list.Head;
        foreach (var node in nodes)
        {
            list._next[previous] = node;
            list._prev[node] = previous;
            previous = node;
        }
        list._next[previous] = End;
        return list;
    }

    public static bool IsCall(int node) => (node & 1) == 0;

    public static int Operation(int node) => node >> 1;

    public int Next(int node) => _next[node];

    public bool IsEmpty => _next[Head] == End;

    /// <summary>Removes a call and its return (the operation is linearized).</summary>
    public void Lift(int call)
    {
        Unlink(call);
        Unlink(call + 1);
    }

    /// <summary>Undoes the matching <see cref="Lift"/>; lifts must be undone in reverse order.</summary>
    public void Unlift(int call)
    {
        Relink(call + 1);
        Relink(call);
    }

    private void Unlink(int node)
    {
        _next[_prev[node]] = _next[node];
        if (_next[node] != End)
        {
            _prev[_next[node]] = _prev[node];
        }
    }

    private void Relink(int node)
    {
        _next[_prev[node]] = node;
        if (_next[node] != End)
        {
            _prev[_next[node]] = node;
        }
    }
}
