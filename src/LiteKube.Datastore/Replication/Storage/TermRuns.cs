namespace LiteKube.Datastore.Replication.Storage;

/// <summary>
/// The term of every index in [offset, last] as runs of equal terms: terms change only at
/// elections, so a whole log fits in a few runs and <c>Term(i)</c>, which Raft asks on every
/// acknowledgement, never touches the disk.
/// </summary>
internal sealed class TermRuns
{
    // (first index of the run, its term), ascending; the first run starts at the offset.
    private readonly List<(ulong Start, ulong Term)> runs = [];

    public TermRuns(ulong offsetIndex, ulong offsetTerm) => Reset(offsetIndex, offsetTerm);

    public ulong Offset => runs[0].Start;

    public void Reset(ulong offsetIndex, ulong offsetTerm)
    {
        runs.Clear();
        runs.Add((offsetIndex, offsetTerm));
    }

    /// <summary>The term at <paramref name="index"/>, which the caller has checked is in range.</summary>
    public ulong Term(ulong index)
    {
        var lo = 0;
        var hi = runs.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (runs[mid].Start <= index)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return runs[lo].Term;
    }

    /// <summary>Records the entry at <paramref name="index"/>, dropping every later one first.</summary>
    public void Set(ulong index, ulong term)
    {
        while (runs.Count > 1 && runs[^1].Start >= index)
        {
            runs.RemoveAt(runs.Count - 1);
        }
        if (runs[^1].Term != term)
        {
            runs.Add((index, term));
        }
    }

    /// <summary>Moves the offset up to <paramref name="index"/> (the entries before it are gone).</summary>
    public void CompactTo(ulong index)
    {
        var term = Term(index);
        var drop = 0;
        while (drop + 1 < runs.Count && runs[drop + 1].Start <= index)
        {
            drop++;
        }
        runs.RemoveRange(0, drop);
        runs[0] = (index, term);
    }
}
