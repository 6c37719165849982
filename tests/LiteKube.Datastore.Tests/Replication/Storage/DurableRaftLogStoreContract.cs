using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication.Storage;
using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Tests.Replication.Storage;

/// <summary>What a log store on an engine keeps across a restart, and how it refuses damage.</summary>
public abstract class DurableRaftLogStoreContract<TStore> : RaftLogStoreContract<TStore>
    where TStore : IDurableRaftLogStoreUnderTest, new()
{
    [Fact]
    public void Reopening_keeps_hard_state_entries_snapshot_and_compaction()
    {
        var store = Under.Bootstrap(Three);
        store.Save(new HardState(2, 2, 3), Run(2, 9, 2), null, sync: true);
        store.Save(new HardState(3, 0, 6), Run(7, 8, 3, "over"), null, sync: true);
        store.CreateSnapshot(6, Three, [4, 2]);
        store.Compact(4);

        using var reopened = Under.Reopen();

        Assert.Equal((new HardState(3, 0, 6), Three), reopened.InitialState());
        Assert.Equal((5UL, 8UL), (reopened.FirstIndex, reopened.LastIndex));
        Assert.Equal(2UL, reopened.Term(4));
        Assert.Equal(new SnapshotMetadata(6, 2, Three), reopened.Snapshot().Metadata);
        Assert.Equal(new byte[] { 4, 2 }, reopened.Snapshot().Data);
        AssertEntries([.. Run(5, 6, 2), .. Run(7, 8, 3, "over")], reopened.Entries(5, 9, 100));
    }

    [Fact]
    public void Reopening_after_a_snapshot_install_starts_from_the_snapshot()
    {
        var store = Under.Bootstrap(Three);
        store.Save(null, Run(2, 9, 1), null, sync: true);
        var conf = new ConfState([1, 2], [5]);
        store.Save(new HardState(4, 1, 30), [], new Snapshot(new SnapshotMetadata(30, 4, conf), []), sync: true);

        using var reopened = Under.Reopen();

        Assert.Equal((31UL, 30UL), (reopened.FirstIndex, reopened.LastIndex));
        Assert.Equal(4UL, reopened.Term(30));
        Assert.Equal((new HardState(4, 1, 30), conf), reopened.InitialState());
    }

    [Fact]
    public void A_damaged_hard_state_is_refused_on_open_with_what_is_wrong()
    {
        Under.Bootstrap(Three);
        Under.Damage(batch => batch.Put(Column.RaftMeta, RaftLogLayout.HardStateKey, [1, 2, 3]));

        var error = Assert.Throws<DatastoreException>(() => Under.Reopen());

        Assert.Equal(DatastoreError.Unavailable, error.Error);
        Assert.Contains("Raft log is damaged: hard state is 3 bytes", error.Message);
    }

    [Fact]
    public void Damaged_snapshot_metadata_is_refused_on_open()
    {
        Under.Bootstrap(Three);
        Under.Damage(batch => batch.Put(Column.RaftMeta, RaftLogLayout.SnapshotKey, [9, 0, 0]));

        var error = Assert.Throws<DatastoreException>(() => Under.Reopen());

        Assert.Contains("snapshot metadata has an unknown format (version 9)", error.Message);
    }

    [Fact]
    public void A_hole_in_the_log_is_refused_on_open()
    {
        var store = Under.Bootstrap(Three);
        store.Save(null, Run(2, 9, 1), null, sync: true);
        Under.Damage(batch => batch.Delete(Column.RaftLog, RaftLogLayout.EntryKey(5)));

        var error = Assert.Throws<DatastoreException>(() => Under.Reopen());

        Assert.Contains("entry 5 is missing", error.Message);
    }

    [Fact]
    public void A_commit_past_the_last_entry_is_refused_on_open()
    {
        var store = Under.Bootstrap(Three);
        store.Save(new HardState(1, 0, 4), Run(2, 4, 1), null, sync: true);
        Under.Damage(batch => batch.Put(Column.RaftMeta, RaftLogLayout.HardStateKey, RaftLogLayout.EncodeHardState(new HardState(1, 0, 40))));

        var error = Assert.Throws<DatastoreException>(() => Under.Reopen());

        Assert.Contains("commit index 40 is past the last entry 4", error.Message);
    }

    [Fact]
    public void A_store_that_holds_a_log_cannot_be_bootstrapped_again()
    {
        Under.Bootstrap(Three);

        var error = Assert.Throws<InvalidOperationException>(() => Under.Bootstrap(Three));

        Assert.Contains("cannot be bootstrapped again", error.Message);
    }
}

public sealed class MemoryRaftStorageContractTests : RaftLogStoreContract<MemoryRaftStorageUnderTest>;

public sealed class RocksDbRaftLogStoreContractTests : DurableRaftLogStoreContract<RocksDbRaftLogStoreUnderTest>;

public sealed class InMemoryEngineRaftLogStoreContractTests : DurableRaftLogStoreContract<InMemoryEngineRaftLogStoreUnderTest>;
