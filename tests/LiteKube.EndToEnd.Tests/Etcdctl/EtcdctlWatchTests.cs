namespace LiteKube.EndToEnd.Tests.Etcdctl;

/// <summary><c>etcdctl watch</c> as a long-running process: each event prints its type, then key
/// and value (with --prev-kv, the previous key and value come first; a delete has an empty value).</summary>
[Collection(EtcdctlCollection.Name)]
public sealed class EtcdctlWatchTests(EtcdctlNode etcd)
{
    [Fact]
    public async Task Watch_of_a_prefix_from_a_revision_replays_history_then_shows_later_puts_and_deletes_in_order()
    {
        await etcd.RunAsync("put", "/watch-p/a", "1");
        var from = await etcd.RevisionAsync();
        await etcd.RunAsync("put", "/watch-p/b", "2");
        await etcd.RunAsync("put", "/watch-p0", "outside");
        await using var watch = EtcdctlWatch.Start(etcd.Node, "/watch-p/", "--prefix", $"--rev={from}");

        var history = await watch.ReadLinesAsync(6);
        await etcd.RunAsync("put", "/watch-p/a", "3");
        await etcd.RunAsync("del", "/watch-p/b");
        await etcd.RunAsync("put", "/watch-p/c", "hello world");
        var live = await watch.ReadLinesAsync(9);

        Assert.Equal(["PUT", "/watch-p/a", "1", "PUT", "/watch-p/b", "2"], history);
        Assert.Equal(["PUT", "/watch-p/a", "3", "DELETE", "/watch-p/b", "", "PUT", "/watch-p/c", "hello world"], live);
        watch.AssertNoMoreLines();
    }

    [Fact]
    public async Task Watch_with_prev_kv_prints_the_previous_pair_before_the_new_one()
    {
        await etcd.RunAsync("put", "/watch-prev/a", "old");
        var from = await etcd.RevisionAsync() + 1;
        await using var watch = EtcdctlWatch.Start(etcd.Node, "/watch-prev/a", "--prev-kv", $"--rev={from}");

        await etcd.RunAsync("put", "/watch-prev/a", "new");
        await etcd.RunAsync("del", "/watch-prev/a");

        Assert.Equal(["PUT", "/watch-prev/a", "old", "/watch-prev/a", "new"], await watch.ReadLinesAsync(5));
        Assert.Equal(["DELETE", "/watch-prev/a", "new", "/watch-prev/a", ""], await watch.ReadLinesAsync(5));
    }

    [Fact]
    public async Task Watch_sees_a_txn_and_a_lease_revoke_as_their_events()
    {
        var lease = await etcd.GrantLeaseAsync(60);
        var from = await etcd.RevisionAsync() + 1;
        await using var watch = EtcdctlWatch.Start(etcd.Node, "/watch-txn/", "--prefix", $"--rev={from}");

        var txn = await etcd.Node.EtcdctlWithInputAsync("\nput /watch-txn/a 1\nput /watch-txn/b 2\n\n\n", "txn", "--interactive");
        Assert.True(txn.ExitCode == 0, txn.ToString());
        await etcd.RunAsync("put", "/watch-txn/c", "3", $"--lease={lease}");
        await etcd.RunAsync("lease", "revoke", lease);

        Assert.Equal(
            ["PUT", "/watch-txn/a", "1", "PUT", "/watch-txn/b", "2", "PUT", "/watch-txn/c", "3", "DELETE", "/watch-txn/c", ""],
            await watch.ReadLinesAsync(12));
    }

    [Fact]
    public async Task Watch_from_a_compacted_revision_is_canceled_with_the_compacted_error()
    {
        await etcd.RunAsync("put", "/watch-compacted/a", "1");
        var old = await etcd.RevisionAsync();
        await etcd.RunAsync("put", "/watch-compacted/a", "2");
        var current = await etcd.RevisionAsync();
        await etcd.RunAsync("compact", current.ToString());

        var output = await etcd.Node.EtcdctlAsync("watch", "/watch-compacted/a", $"--rev={old}");

        Assert.True(output.ExitCode == 5, output.ToString()); // etcdctl's exit code for a watch the server canceled
        Assert.Contains("watch was canceled (etcdserver: mvcc: required revision has been compacted)", output.StandardErrorLines);
        Assert.Equal("Error: watch is canceled by the server", output.StandardErrorLines[^1]);
    }
}
