using System.Text.Json;

namespace LiteKube.EndToEnd.Tests.Etcdctl;

/// <summary>etcdctl compact, endpoint status / health, member list and snapshot save.</summary>
[Collection(EtcdctlCollection.Name)]
public sealed class EtcdctlMaintenanceTests(EtcdctlNode etcd)
{
    [Fact]
    public async Task Compaction_makes_older_revisions_fail_with_the_compacted_error()
    {
        await etcd.RunAsync("put", "/compact/a", "old");
        var old = await etcd.RevisionAsync();
        await etcd.RunAsync("put", "/compact/a", "new");
        var current = await etcd.RevisionAsync();

        var compact = await etcd.RunAsync("compact", current.ToString());

        Assert.Equal($"compacted revision {current}\n", compact.StandardOutput);
        await etcd.FailAsync(1, "Error: etcdserver: mvcc: required revision has been compacted", "get", "/compact/a", $"--rev={old}");
        Assert.Equal("/compact/a\nnew\n", (await etcd.RunAsync("get", "/compact/a", $"--rev={current}")).StandardOutput);
        await etcd.FailAsync(1, "Error: etcdserver: mvcc: required revision has been compacted", "compact", current.ToString());
        await etcd.FailAsync(1, "Error: etcdserver: mvcc: required revision is a future revision", "compact", (current + 100).ToString());
    }

    [Fact]
    public async Task Endpoint_status_reports_this_member_as_the_leader_at_the_current_revision()
    {
        await etcd.RunAsync("put", "/status/a", "1");
        var revision = await etcd.RevisionAsync();

        var table = await etcd.RunAsync("endpoint", "status");
        var json = await etcd.RunAsync("endpoint", "status", "-w", "json");

        // endpoint, member id, version, db size, is leader, is learner, raft term, raft index, applied index, errors
        var fields = table.StandardOutput.TrimEnd('\n').Split(", ");
        Assert.True(fields.Length == 10, table.ToString());
        Assert.Equal(etcd.Node.EtcdEndpoint, fields[0]);
        Assert.Equal(("true", "false", ""), (fields[4], fields[5], fields[9]));
        var status = JsonDocument.Parse(json.StandardOutput).RootElement[0].GetProperty("Status");
        Assert.Equal(revision, status.GetProperty("header").GetProperty("revision").GetInt64());
        Assert.Equal(status.GetProperty("header").GetProperty("member_id").GetUInt64(), status.GetProperty("leader").GetUInt64());
        Assert.True(status.GetProperty("dbSize").GetInt64() > 0);
    }

    [Fact]
    public async Task Endpoint_health_reports_the_endpoint_healthy()
    {
        var health = await etcd.RunAsync("endpoint", "health");

        // etcdctl 3.4 prints the health line on stderr.
        Assert.Equal("", health.StandardOutput);
        Assert.StartsWith($"{etcd.Node.EtcdEndpoint} is healthy: successfully committed proposal: took = ", health.StandardErrorLines[^1]);
    }

    [Fact]
    public async Task Member_list_shows_one_started_voter_with_this_client_url()
    {
        var list = await etcd.RunAsync("member", "list");

        var lines = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var fields = Assert.Single(lines).Split(", ");
        Assert.True(fields.Length == 6, list.ToString());
        Assert.Matches("^[0-9a-f]+$", fields[0]);
        Assert.Equal("started", fields[1]);
        Assert.Equal(etcd.Node.EtcdEndpoint, fields[4]);
        Assert.Equal("false", fields[5]);
    }

    [Fact]
    public async Task Snapshot_save_writes_a_non_empty_file()
    {
        await etcd.RunAsync("put", "/snapshot/a", "1");
        var directory = Directory.CreateTempSubdirectory("litekube-snapshot-");
        try
        {
            var path = Path.Combine(directory.FullName, "snap.db");

            var save = await etcd.RunAsync("snapshot", "save", path);

            Assert.Equal($"Snapshot saved at {path}\n", save.StandardOutput);
            Assert.True(new FileInfo(path).Length > 0, "the snapshot file is empty");
            Assert.False(File.Exists(path + ".part"), "etcdctl left its partial download behind");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
