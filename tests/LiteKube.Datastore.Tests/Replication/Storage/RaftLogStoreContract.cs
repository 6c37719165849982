using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication;

namespace LiteKube.Datastore.Tests.Replication.Storage;

/// <summary>What every <see cref="IRaftLogStore"/> does, as Raft and the host rely on it.</summary>
public abstract class RaftLogStoreContract<TStore> : IDisposable
    where TStore : IRaftLogStoreUnderTest, new()
{
    protected TStore Under { get; } = new();

    protected static readonly ConfState Three = new([1, 2, 3], []);

    public void Dispose() => Under.Dispose();

    protected static List<Entry> Run(ulong from, ulong to, ulong term, string tag = "") =>
        Enumerable.Range((int)from, (int)(to - from + 1))
            .Select(i => new Entry(term, (ulong)i, i % 7 == 0 ? EntryType.ConfChange : EntryType.Normal, System.Text.Encoding.UTF8.GetBytes($"{tag}{i}")))
            .ToList();

    protected static void AssertEntries(IReadOnlyList<Entry> expected, IReadOnlyList<Entry> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal((expected[i].Index, expected[i].Term, expected[i].Type), (actual[i].Index, actual[i].Term, actual[i].Type));
            Assert.Equal(expected[i].Data, actual[i].Data);
        }
    }

    [Fact]
    public void An_empty_store_has_no_entries_and_an_empty_snapshot()
    {
        using var store = Under.CreateEmpty();

        Assert.Equal((1UL, 0UL), (store.FirstIndex, store.LastIndex));
        Assert.Equal(0UL, store.Term(0));
        Assert.Equal(0UL, store.Snapshot().Index);
        Assert.True(store.InitialState().HardState.IsEmpty);
        Assert.Equal(ConfState.Empty, store.InitialState().ConfState);
    }

    [Fact]
    public void A_bootstrapped_store_starts_from_a_snapshot_at_index_1_with_the_membership()
    {
        using var store = Under.Bootstrap(Three);

        Assert.Equal((2UL, 1UL), (store.FirstIndex, store.LastIndex));
        Assert.Equal(1UL, store.Term(1));
        Assert.Equal(new SnapshotMetadata(1, 1, Three), store.Snapshot().Metadata);
        Assert.Equal((new HardState(1, 0, 1), Three), store.InitialState());
    }

    [Fact]
    public void Saved_entries_and_hard_state_read_back()
    {
        using var store = Under.Bootstrap(Three);
        var entries = Run(2, 9, 2);

        store.Save(new HardState(2, 1, 5), entries, null, sync: true);

        Assert.Equal((2UL, 9UL), (store.FirstIndex, store.LastIndex));
        AssertEntries(entries, store.Entries(2, 10, int.MaxValue));
        AssertEntries(entries[3..5], store.Entries(5, 7, 100));
        Assert.Equal(2UL, store.Term(9));
        Assert.Equal(new HardState(2, 1, 5), store.InitialState().HardState);
    }

    [Fact]
    public void Entries_stop_at_max_entries_but_return_at_least_one()
    {
        using var store = Under.Bootstrap(Three);
        store.Save(null, Run(2, 9, 1), null, sync: false);

        Assert.Equal(3, store.Entries(2, 10, 3).Count);
        Assert.Single(store.Entries(2, 10, 0));
        Assert.Empty(store.Entries(4, 4, 10));
    }

    [Fact]
    public void A_long_log_reads_back_beyond_what_is_kept_in_memory()
    {
        using var store = Under.Bootstrap(Three);
        var entries = Run(2, 6001, 1);
        foreach (var chunk in entries.Chunk(500))
        {
            store.Save(null, chunk, null, sync: false);
        }

        AssertEntries(entries, store.Entries(2, 6002, int.MaxValue));
        AssertEntries(entries[10..20], store.Entries(12, 22, 10));
    }

    [Fact]
    public void Entries_at_existing_indexes_replace_them_and_everything_after()
    {
        using var store = Under.Bootstrap(Three);
        store.Save(null, Run(2, 9, 1), null, sync: true);

        var replacement = Run(5, 6, 3, "new");
        store.Save(new HardState(3, 2, 4), replacement, null, sync: true);

        Assert.Equal(6UL, store.LastIndex);
        Assert.Equal((1UL, 3UL, 3UL), (store.Term(4), store.Term(5), store.Term(6)));
        AssertEntries([.. Run(2, 4, 1), .. replacement], store.Entries(2, 7, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Term(7));
    }

    [Fact]
    public void Entries_that_leave_a_gap_are_refused_and_change_nothing()
    {
        using var store = Under.Bootstrap(Three);
        store.Save(null, Run(2, 4, 1), null, sync: true);

        Assert.Throws<InvalidOperationException>(() => store.Save(new HardState(5, 0, 1), Run(6, 7, 1), null, sync: true));

        Assert.Equal(4UL, store.LastIndex);
        Assert.Equal(new HardState(1, 0, 1), store.InitialState().HardState);
    }

    [Fact]
    public void A_snapshot_replaces_the_whole_log()
    {
        using var store = Under.Bootstrap(Three);
        store.Save(null, Run(2, 9, 1), null, sync: true);
        var conf = new ConfState([1, 2, 3], [4]);

        store.Save(new HardState(3, 0, 20), [], new Snapshot(new SnapshotMetadata(20, 3, conf), [7, 7]), sync: true);

        Assert.Equal((21UL, 20UL), (store.FirstIndex, store.LastIndex));
        Assert.Equal(3UL, store.Term(20));
        Assert.Equal(conf, store.InitialState().ConfState);
        Assert.Equal(new byte[] { 7, 7 }, store.Snapshot().Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Term(9));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Entries(9, 10, 1));

        store.Save(null, Run(19, 23, 3), null, sync: true);
        Assert.Equal((21UL, 23UL), (store.FirstIndex, store.LastIndex));
        AssertEntries(Run(21, 23, 3), store.Entries(21, 24, 10));
    }

    [Fact]
    public void A_snapshot_that_is_not_newer_is_refused()
    {
        using var store = Under.Bootstrap(Three);

        Assert.Throws<InvalidOperationException>(() => store.Save(null, [], new Snapshot(new SnapshotMetadata(1, 1, Three), []), sync: true));
    }

    [Fact]
    public void Create_snapshot_keeps_the_entries_and_compact_drops_them_up_to_its_index()
    {
        using var store = Under.Bootstrap(Three);
        store.Save(null, [.. Run(2, 5, 1), .. Run(6, 12, 2)], null, sync: true);

        var snapshot = store.CreateSnapshot(8, Three, [1]);

        Assert.Equal(new SnapshotMetadata(8, 2, Three), snapshot.Metadata);
        Assert.Equal(snapshot, store.Snapshot());
        Assert.Equal(2UL, store.FirstIndex);

        store.Compact(5);
        Assert.Equal((6UL, 12UL), (store.FirstIndex, store.LastIndex));
        Assert.Equal(1UL, store.Term(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Term(4));
        AssertEntries(Run(6, 12, 2), store.Entries(6, 13, 100));

        store.Compact(3);
        Assert.Equal(6UL, store.FirstIndex);
        Assert.Throws<InvalidOperationException>(() => store.Compact(9));
        Assert.Throws<InvalidOperationException>(() => store.CreateSnapshot(8, Three, []));

        store.Compact(8);
        Assert.Equal((9UL, 2UL), (store.FirstIndex, store.Term(8)));
    }

    [Fact]
    public void Term_and_Entries_outside_the_log_throw_ArgumentOutOfRange()
    {
        using var store = Under.Bootstrap(Three);
        store.Save(null, Run(2, 5, 1), null, sync: true);

        Assert.Throws<ArgumentOutOfRangeException>(() => store.Term(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Term(6));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Entries(1, 3, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Entries(2, 7, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Entries(4, 3, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.CreateSnapshot(6, Three, []));
    }

    [Fact]
    public void Entries_the_snapshot_already_covers_are_ignored()
    {
        using var store = Under.Bootstrap(Three);

        store.Save(null, Run(8, 12, 2), new Snapshot(new SnapshotMetadata(10, 2, Three), []), sync: true);

        Assert.Equal((11UL, 12UL), (store.FirstIndex, store.LastIndex));
        AssertEntries(Run(11, 12, 2), store.Entries(11, 13, 10));
    }
}
