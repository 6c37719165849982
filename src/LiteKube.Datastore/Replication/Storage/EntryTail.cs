using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication.Storage;

/// <summary>The most recently saved entries (consecutive, ending at the last index), so that
/// followers that keep up are served from memory.</summary>
internal sealed class EntryTail(int capacity)
{
    private readonly List<Entry> entries = [];

    public void Clear() => entries.Clear();

    /// <summary>Adds consecutive entries, replacing cached ones at the same or later indexes.</summary>
    public void Append(IReadOnlyList<Entry> fresh)
    {
        if (fresh.Count == 0)
        {
            return;
        }
        var first = fresh[0].Index;
        if (entries.Count > 0 && (first < entries[0].Index || first > entries[^1].Index + 1))
        {
            // Not adjacent to what is cached: start over from these.
            entries.Clear();
        }
        if (entries.Count > 0)
        {
            var keep = (int)(first - entries[0].Index);
            entries.RemoveRange(keep, entries.Count - keep);
        }
        var from = Math.Max(0, fresh.Count - capacity);
        for (var i = from; i < fresh.Count; i++)
        {
            entries.Add(fresh[i]);
        }
        if (entries.Count > capacity)
        {
            entries.RemoveRange(0, entries.Count - capacity);
        }
    }

    public void DropThrough(ulong index)
    {
        if (entries.Count == 0 || index < entries[0].Index)
        {
            return;
        }
        entries.RemoveRange(0, (int)Math.Min((ulong)entries.Count, index - entries[0].Index + 1));
    }

    /// <summary>[lo, lo + count) if all cached, else null.</summary>
    public List<Entry>? TryGet(ulong lo, int count)
    {
        if (entries.Count == 0 || lo < entries[0].Index || lo + (ulong)count - 1 > entries[^1].Index)
        {
            return null;
        }
        return entries.GetRange((int)(lo - entries[0].Index), count);
    }
}
