using static LiteKube.Datastore.Tests.EtcdApi.Protos;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.Tests.EtcdApi;

/// <summary>Wire compatibility with the real etcdctl 3.4 against the in-process server. The full
/// etcdctl suite against the published binary lives in the end-to-end tests.</summary>
public sealed class EtcdctlCompatibilityTests : IAsyncLifetime
{
    private EtcdApiServer server = null!;

    public async Task InitializeAsync() => server = await EtcdApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Etcdctl_put_then_get_round_trips_a_value()
    {
        var put = await RunAsync("put", "/greeting", "hello");
        var get = await RunAsync("get", "/greeting");

        Assert.Equal("OK", put.Trim());
        Assert.Equal("/greeting\nhello", get.Trim());
    }

    [Fact]
    public async Task Etcdctl_get_honours_prefix_rev_limit_and_keys_only()
    {
        var first = await server.Kv.PutAsync(Put("/p/a", "1"));
        await server.Kv.PutAsync(Put("/p/b", "2"));
        await server.Kv.PutAsync(Put("/p/a", "3"));

        Assert.Equal("/p/a\n3\n/p/b\n2", (await RunAsync("get", "/p/", "--prefix")).Trim());
        Assert.Equal("/p/a\n1", (await RunAsync("get", "/p/a", $"--rev={first.Header.Revision}")).Trim());
        Assert.Equal("/p/a\n3", (await RunAsync("get", "/p/", "--prefix", "--limit=1")).Trim());
        Assert.Contains("\"count\":2", await RunAsync("get", "/p/", "--prefix", "--limit=1", "-w", "json"));
        Assert.Equal("/p/a\n\n/p/b", (await RunAsync("get", "/p/", "--prefix", "--keys-only")).Trim());
    }

    [Fact]
    public async Task Etcdctl_del_with_prefix_and_prev_kv_prints_the_count_and_the_deleted_pairs()
    {
        await server.Kv.PutAsync(Put("/p/a", "1"));
        await server.Kv.PutAsync(Put("/p/b", "2"));

        var output = await RunAsync("del", "/p/", "--prefix", "--prev-kv");

        Assert.Equal("2\n/p/a\n1\n/p/b\n2", output.Trim());
    }

    [Fact]
    public async Task Etcdctl_txn_from_stdin_runs_the_success_branch()
    {
        await server.Kv.PutAsync(Put("/cfg", "old"));

        var result = await Etcdctl.RunWithInputAsync(server.Address,
            "value(\"/cfg\") = \"old\"\n\nput /cfg new\nput /audit changed\n\nput /audit unchanged\n\n", "txn");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("SUCCESS\n\nOK\n\nOK", result.Stdout.Trim());
        Assert.Equal("new", Text((await server.Kv.RangeAsync(Get("/cfg"))).Kvs[0].Value));
    }

    [Fact]
    public async Task Etcdctl_watch_from_a_revision_prints_puts_and_deletes_in_order()
    {
        var first = await server.Kv.PutAsync(Put("/w/a", "1"));
        await server.Kv.PutAsync(Put("/w/b", "2"));
        await server.Kv.DeleteRangeAsync(new EtcdPb.DeleteRangeRequest { Key = Bytes("/w/a") });

        var lines = await Etcdctl.ReadLinesThenKillAsync(server.Address, 8, "watch", "/w/", "--prefix", $"--rev={first.Header.Revision}");

        Assert.Equal(["PUT", "/w/a", "1", "PUT", "/w/b", "2", "DELETE", "/w/a"], lines);
    }

    [Fact]
    public async Task Etcdctl_lease_grant_keep_alive_timetolive_and_revoke_work_with_attached_keys()
    {
        var grant = await RunAsync("lease", "grant", "60");
        var id = grant.Split(' ')[1];
        await RunAsync("put", "/leased", "v", $"--lease={id}");

        var keepAlive = await RunAsync("lease", "keep-alive", "--once", id);
        var ttl = await RunAsync("lease", "timetolive", id, "--keys");
        var list = await RunAsync("lease", "list");
        var revoke = await RunAsync("lease", "revoke", id);
        var gone = await RunAsync("lease", "timetolive", id);

        Assert.StartsWith($"lease {id} granted with TTL(60s)", grant);
        Assert.Contains($"lease {id} keepalived with TTL(60)", keepAlive);
        Assert.Contains("attached keys([/leased])", ttl);
        Assert.Contains(id, list);
        Assert.Contains($"lease {id} revoked", revoke);
        Assert.Contains("already expired", gone);
        Assert.Empty((await server.Kv.RangeAsync(Get("/leased"))).Kvs);
    }

    [Fact]
    public async Task Etcdctl_get_at_a_compacted_revision_prints_the_compacted_error()
    {
        var first = await server.Kv.PutAsync(Put("/a", "1"));
        var second = await server.Kv.PutAsync(Put("/a", "2"));

        var compact = await RunAsync("compaction", $"{second.Header.Revision}", "--physical");
        var get = await Etcdctl.RunAsync(server.Address, "get", "/a", $"--rev={first.Header.Revision}");

        Assert.Contains($"compacted revision {second.Header.Revision}", compact);
        Assert.NotEqual(0, get.ExitCode);
        Assert.Contains("etcdserver: mvcc: required revision has been compacted", get.Stderr);
    }

    [Fact]
    public async Task Etcdctl_watch_from_a_compacted_revision_prints_the_compacted_error()
    {
        var first = await server.Kv.PutAsync(Put("/a", "1"));
        var second = await server.Kv.PutAsync(Put("/a", "2"));
        await server.Kv.CompactAsync(new EtcdPb.CompactionRequest { Revision = second.Header.Revision });

        var result = await Etcdctl.RunAsync(server.Address, "watch", "/a", $"--rev={first.Header.Revision}");

        Assert.Contains("required revision has been compacted", result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task Etcdctl_endpoint_status_member_list_alarm_list_and_hashkv_describe_this_member()
    {
        var memberId = EtcdApiServer.Member.MemberId.ToString("x", System.Globalization.CultureInfo.InvariantCulture);

        var status = await RunAsync("endpoint", "status");
        var members = await RunAsync("member", "list");
        var alarms = await RunAsync("alarm", "list");
        var hash = await RunAsync("endpoint", "hashkv");
        var health = await Etcdctl.RunAsync(server.Address, "endpoint", "health");

        Assert.Contains(memberId, status);
        Assert.Contains("3.5.0", status);
        Assert.StartsWith($"{memberId}, started, node-1, https://127.0.0.1:25000, http://127.0.0.1:2379, false", members.Trim());
        Assert.Equal("", alarms.Trim());
        Assert.Contains(server.Address.Authority, hash);
        Assert.Contains("is healthy", health.Stdout + health.Stderr);
    }

    [Fact]
    public async Task Etcdctl_snapshot_save_accepts_the_stream_and_defrag_succeeds()
    {
        await server.Kv.PutAsync(Put("/a", "1"));
        var directory = Directory.CreateTempSubdirectory("litekube-etcdctl-snapshot-");
        try
        {
            var path = Path.Combine(directory.FullName, "snap.db");
            var save = await Etcdctl.RunAsync(server.Address, "snapshot", "save", path);
            var defrag = await RunAsync("defrag");

            Assert.True(save.ExitCode == 0, save.Stderr);
            Assert.Contains($"Snapshot saved at {path}", save.Stdout);
            Assert.Equal(32, new FileInfo(path).Length % 512);
            Assert.Contains("Finished defragmenting etcd member", defrag);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Etcdctl_member_add_is_refused_with_the_litekube_hint()
    {
        var result = await Etcdctl.RunAsync(server.Address, "member", "add", "node-2", "--peer-urls=http://127.0.0.2:2380");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("litekube join", result.Stderr);
    }

    private async Task<string> RunAsync(params string[] args)
    {
        var result = await Etcdctl.RunAsync(server.Address, args);
        Assert.True(result.ExitCode == 0, $"etcdctl {string.Join(' ', args)} failed: {result.Stderr}");
        return result.Stdout;
    }
}
