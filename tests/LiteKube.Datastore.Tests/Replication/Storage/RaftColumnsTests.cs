using System.Security.Cryptography;
using LiteKube.Datastore.Mvcc;
using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication;
using LiteKube.Datastore.Replication.Storage;
using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Tests.Replication.Storage;

/// <summary>The Raft columns share the MVCC store's engine but never travel in its snapshots.</summary>
public sealed class RaftColumnsTests
{
    [Fact]
    public async Task A_log_bootstrapped_over_restored_data_starts_after_its_applied_index_so_new_writes_apply()
    {
        using var backup = new MemoryStream();
        var source = new InMemoryEngine();
        await using (var original = ReplicatedStore.Start(source, RocksDbRaftLogStore.Bootstrap(source, new ConfState([1], [])),
            _ => new LonelyTransport(), SingleMember.Options(TimeProvider.System, TimeSpan.FromMinutes(10))))
        {
            for (var i = 0; i < 20; i++)
            {
                await original.PutAsync(new PutRequest([(byte)i], [(byte)i]));
            }
            await original.WriteSnapshotAsync(backup);
        }

        var target = new InMemoryEngine();
        backup.Position = 0;
        SnapshotFormat.Restore(backup, target);
        var applied = MvccStateMachine.ReadAppliedIndex(target);
        Assert.True(applied > 20, $"the restored state was applied up to {applied}");

        await using var restored = ReplicatedStore.Start(target, RocksDbRaftLogStore.Bootstrap(target, new ConfState([1], []), index: applied),
            _ => new LonelyTransport(), SingleMember.Options(TimeProvider.System, TimeSpan.FromMinutes(10)));
        var put = await restored.PutAsync(new PutRequest("after"u8.ToArray(), "restore"u8.ToArray()));

        Assert.Equal(22, put.Revision);
        Assert.Equal("restore"u8.ToArray(), (await restored.RangeAsync(new RangeRequest("after"u8.ToArray()))).Kvs.Single().Value);
    }

    [Fact]
    public void Bootstrap_at_index_zero_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RocksDbRaftLogStore.Bootstrap(new InMemoryEngine(), new ConfState([1], []), index: 0));

    [Fact]
    public void An_mvcc_snapshot_carries_the_state_machine_and_not_the_raft_log()
    {
        using var source = new InMemoryEngine();
        var log = RocksDbRaftLogStore.Bootstrap(source, new ConfState([1], []));
        log.Save(new HardState(2, 1, 3), [new Entry(2, 2, EntryType.Normal, [1]), new Entry(2, 3, EntryType.Normal, [2])], null, sync: true);
        using (var batch = source.CreateBatch())
        {
            batch.Put(Column.Kv, "key"u8, "value"u8);
            batch.Put(Column.Meta, "m"u8, "1"u8);
            source.Write(batch, sync: true);
        }
        using var file = new MemoryStream();
        using (var view = source.OpenView())
        {
            SnapshotFormat.Write(view, file, CancellationToken.None);
        }

        using var target = new InMemoryEngine();
        file.Position = 0;
        SnapshotFormat.Restore(file, target);

        using var restored = target.OpenView();
        Assert.Equal("value"u8.ToArray(), restored.Get(Column.Kv, "key"u8));
        Assert.Equal("1"u8.ToArray(), restored.Get(Column.Meta, "m"u8));
        Assert.True(RocksDbRaftLogStore.Open(target).IsEmpty);
    }

    [Fact]
    public void A_snapshot_file_with_a_raft_column_is_refused()
    {
        var body = new MemoryStream();
        body.Write("LKSNAP01"u8);
        body.Write([(byte)Column.RaftLog, 0, 0, 0, 1, 7, 0, 0, 0, 1, 9, 0xFF]);
        var hash = SHA256.HashData(body.ToArray());
        body.Write(hash);
        body.Position = 0;

        using var target = new InMemoryEngine();
        var error = Assert.Throws<DatastoreException>(() => SnapshotFormat.Restore(body, target));

        Assert.Contains("unknown column 5", error.Message);
    }

    [Fact]
    public async Task A_reopened_rocksdb_keeps_the_raft_columns_beside_the_mvcc_ones()
    {
        var directory = Directory.CreateTempSubdirectory("litekube-raftcols-").FullName;
        try
        {
            using (var engine = RocksDbEngine.Open(directory))
            {
                RocksDbRaftLogStore.Bootstrap(engine, new ConfState([1, 2, 3], []));
            }
            await using (var store = LocalStore.OpenRocksDb(directory))
            {
                // The MVCC store opens the same database with the Raft columns in it.
                Assert.Equal(1, (await store.RangeAsync(new RangeRequest("/"u8.ToArray()))).Revision);
            }
            using (var engine = RocksDbEngine.Open(directory))
            {
                Assert.Equal(new SnapshotMetadata(1, 1, new ConfState([1, 2, 3], [])), RocksDbRaftLogStore.Open(engine).Snapshot().Metadata);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
