using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Replication.Storage;

/// <summary>
/// Reads the Raft columns back at open and checks that they agree with each other: a damaged
/// value, a hole in the log or a commit past the last entry is refused with what is wrong,
/// rather than handed to Raft to misbehave on.
/// </summary>
internal static class RaftLogLoader
{
    public static T Load<T>(IStorageEngine engine, Func<HardState, Snapshot, TermRuns, ulong, T> create)
    {
        using var view = engine.OpenView();
        var hardState = Read(view, RaftLogLayout.HardStateKey, "hard state", v => RaftLogLayout.DecodeHardState(v)) ?? default;
        var snapshot = Read(view, RaftLogLayout.SnapshotKey, "snapshot metadata", v => RaftLogLayout.DecodeSnapshot(v))
            ?? new Snapshot(new SnapshotMetadata(0, 0, ConfState.Empty), []);
        (ulong Index, ulong Term)? stored = Read(view, RaftLogLayout.OffsetKey, "log offset", v => RaftLogLayout.DecodeOffset(v));
        var (offsetIndex, offsetTerm) = stored ?? (snapshot.Index, snapshot.Term);
        if (offsetIndex > snapshot.Index)
        {
            throw RocksDbRaftLogStore.Damaged($"the log starts after {offsetIndex}, past the snapshot at {snapshot.Index}");
        }

        var terms = new TermRuns(offsetIndex, offsetTerm);
        var last = offsetIndex;
        using (var it = view.Iterate(Column.RaftLog))
        {
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                var index = Decode(() => RaftLogLayout.IndexOf(it.Key));
                if (index <= offsetIndex)
                {
                    // Left behind by a compaction that a crash cut short: below the offset, unused.
                    continue;
                }
                if (index != last + 1)
                {
                    throw RocksDbRaftLogStore.Damaged($"entry {last + 1} is missing (the next stored entry is {index})");
                }
                var (_, term, _) = DecodeHeader(index, it.Value);
                terms.Set(index, term);
                last = index;
            }
        }
        if (last < snapshot.Index)
        {
            throw RocksDbRaftLogStore.Damaged($"entries {last + 1}..{snapshot.Index} are missing below the snapshot");
        }
        if (hardState.Commit > last)
        {
            throw RocksDbRaftLogStore.Damaged($"the commit index {hardState.Commit} is past the last entry {last}");
        }
        return create(hardState, snapshot, terms, last);
    }

    private static T? Read<T>(IStorageView view, byte[] key, string what, Func<byte[], T> decode)
        where T : struct
    {
        var value = view.Get(Column.RaftMeta, key);
        return value is null ? null : Decode(() => decode(value), what);
    }

    private static Snapshot? Read(IStorageView view, byte[] key, string what, Func<byte[], Snapshot> decode)
    {
        var value = view.Get(Column.RaftMeta, key);
        return value is null ? null : Decode(() => decode(value), what);
    }

    private static (EntryType, ulong, int) DecodeHeader(ulong index, ReadOnlySpan<byte> value)
    {
        try
        {
            return RaftLogLayout.DecodeEntryHeader(index, value);
        }
        catch (FormatException e)
        {
            throw RocksDbRaftLogStore.Damaged(e.Message);
        }
    }

    private static T Decode<T>(Func<T> decode, string? what = null)
    {
        try
        {
            return decode();
        }
        catch (FormatException e)
        {
            // The decoders name what they were reading.
            throw RocksDbRaftLogStore.Damaged(e.Message);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw RocksDbRaftLogStore.Damaged($"{what ?? "a log key"} is truncated ({e.Message})");
        }
    }
}
