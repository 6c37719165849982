using System.Text;
using LiteKube.Datastore.Mvcc;
using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Tests.Mvcc;

/// <summary>Compaction frees storage: what it made unreadable is gone from the kv and revisions columns.</summary>
public sealed class CompactorTests
{
    private static TxnCommand Put(string key, string value) =>
        new(new TxnRequest([], [new TxnPutOp(new PutRequest(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value)))], []));

    private static TxnCommand Delete(string key) =>
        new(new TxnRequest([], [new TxnDeleteOp(new DeleteRangeRequest(Encoding.UTF8.GetBytes(key)))], []));

    private static int Count(IStorageEngine engine, Column column)
    {
        using var view = engine.OpenView();
        using var it = view.Iterate(column);
        var n = 0;
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            n++;
        }

        return n;
    }

    [Fact]
    public void Old_versions_and_deleted_keys_leave_the_disk_and_the_latest_versions_stay()
    {
        using var engine = new InMemoryEngine();
        var machine = new MvccStateMachine(engine, TimeProvider.System);
        for (var i = 0; i < 10; i++)
        {
            machine.Apply(Put("a", $"a{i}"));       // revisions 2..11
        }

        machine.Apply(Put("gone", "x"));            // 12
        machine.Apply(Delete("gone"));              // 13: tombstone
        machine.Apply(Put("b", "b"));               // 14
        Assert.Equal(13, Count(engine, Column.Kv));

        machine.Apply(new CompactCommand(14));
        var removed = Compactor.Run(engine, 14, CancellationToken.None);

        // a keeps only a9, "gone" loses its put and its tombstone, b stays.
        Assert.Equal(11, removed);
        Assert.Equal(2, Count(engine, Column.Kv));
        Assert.Equal(1, Count(engine, Column.Revisions)); // only revision 14 remains for watches from 14
        using var view = engine.OpenView();
        Assert.Equal("a9", Encoding.UTF8.GetString(VersionScanner.Get(view, Encoding.UTF8.GetBytes("a"), 14)!.Value));
        Assert.Null(VersionScanner.Get(view, Encoding.UTF8.GetBytes("gone"), 14));
    }
}
