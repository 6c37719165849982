using System.Text.RegularExpressions;

namespace LiteKube.EndToEnd.Tests.Etcdctl;

/// <summary>etcdctl lease grant / keep-alive / timetolive / list / revoke with keys attached.</summary>
[Collection(EtcdctlCollection.Name)]
public sealed class EtcdctlLeaseTests(EtcdctlNode etcd)
{
    /// <summary>The remaining TTL is timing-dependent; the rest of the line is exact.</summary>
    private static int Remaining(string output, string expectedPattern)
    {
        var match = Regex.Match(output, expectedPattern);
        Assert.True(match.Success, $"expected output matching {expectedPattern}, got: {output}");
        return int.Parse(match.Groups["remaining"].Value);
    }

    [Fact]
    public async Task Timetolive_with_keys_lists_the_attached_keys_and_the_ttls()
    {
        var lease = await etcd.GrantLeaseAsync(60);
        await etcd.RunAsync("put", "/lease-ttl/a", "1", $"--lease={lease}");
        await etcd.RunAsync("put", "/lease-ttl/b", "2", $"--lease={lease}");

        var withKeys = await etcd.RunAsync("lease", "timetolive", lease, "--keys");
        var withoutKeys = await etcd.RunAsync("lease", "timetolive", lease);

        var remaining = Remaining(withKeys.StandardOutput,
            $@"^lease {lease} granted with TTL\(60s\), remaining\((?<remaining>\d+)s\), attached keys\(\[(/lease-ttl/a /lease-ttl/b|/lease-ttl/b /lease-ttl/a)\]\)\n$");
        Assert.InRange(remaining, 50, 60);
        Remaining(withoutKeys.StandardOutput, $@"^lease {lease} granted with TTL\(60s\), remaining\((?<remaining>\d+)s\)\n$");
        // Revoked now: left to expire, it would delete its keys a minute later, in the middle of
        // another test on this shared node, and move the revision under that test's feet.
        await etcd.RunAsync("lease", "revoke", lease);
    }

    [Fact]
    public async Task Keep_alive_once_renews_the_lease_to_its_ttl()
    {
        var lease = await etcd.GrantLeaseAsync(60);

        var keepAlive = await etcd.RunAsync("lease", "keep-alive", "--once", lease);

        Assert.Equal($"lease {lease} keepalived with TTL(60)\n", keepAlive.StandardOutput);
    }

    [Fact]
    public async Task Lease_list_shows_granted_leases_and_not_revoked_ones()
    {
        var kept = await etcd.GrantLeaseAsync(60);
        var revoked = await etcd.GrantLeaseAsync(30);
        await etcd.RunAsync("lease", "revoke", revoked);

        var list = await etcd.RunAsync("lease", "list");

        var lines = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^found \d+ leases$", lines[0]);
        Assert.Equal(int.Parse(Regex.Match(lines[0], @"\d+").Value), lines.Length - 1);
        Assert.Contains(kept, lines.Skip(1));
        Assert.DoesNotContain(revoked, lines.Skip(1));
    }

    [Fact]
    public async Task Revoke_deletes_the_attached_keys_and_the_lease_is_then_gone()
    {
        var lease = await etcd.GrantLeaseAsync(60);
        await etcd.RunAsync("put", "/lease-revoke/a", "1", $"--lease={lease}");
        await etcd.RunAsync("put", "/lease-revoke/b", "2", $"--lease={lease}");
        await etcd.RunAsync("put", "/lease-revoke/c", "3");
        var before = await etcd.RevisionAsync();

        var revoke = await etcd.RunAsync("lease", "revoke", lease);

        Assert.Equal($"lease {lease} revoked\n", revoke.StandardOutput);
        Assert.Equal("/lease-revoke/c\n3\n", (await etcd.RunAsync("get", "/lease-revoke/", "--prefix")).StandardOutput);
        // One revision deletes both keys. The server's own writers (node and API server leases)
        // may take revisions around it, so find the revision where the keys went.
        var after = await etcd.RevisionAsync();
        var gone = before + 1;
        while (gone <= after && (await etcd.RunAsync("get", "/lease-revoke/a", $"--rev={gone}", "--keys-only")).StandardOutput.Trim().Length > 0)
        {
            gone++;
        }
        Assert.True(gone <= after, $"/lease-revoke/a still exists at revision {after}");
        Assert.Equal("/lease-revoke/c\n3\n", (await etcd.RunAsync("get", "/lease-revoke/", "--prefix", $"--rev={gone}")).StandardOutput);
        Assert.Contains("/lease-revoke/b", (await etcd.RunAsync("get", "/lease-revoke/", "--prefix", "--keys-only", $"--rev={gone - 1}")).StandardOutput, StringComparison.Ordinal);
        Assert.Equal($"lease {lease} already expired\n", (await etcd.RunAsync("lease", "timetolive", lease)).StandardOutput);
        await etcd.FailAsync(1, "Error: failed to revoke lease (etcdserver: requested lease not found)", "lease", "revoke", lease);
        await etcd.FailAsync(2, "Error: etcdserver: requested lease not found", "lease", "keep-alive", "--once", lease);
        await etcd.FailAsync(1, "Error: etcdserver: requested lease not found", "put", "/lease-revoke/d", "4", $"--lease={lease}");
    }

    [Fact]
    public async Task A_lease_expires_on_its_own_and_takes_its_keys()
    {
        // The one real-time wait of these tests: a lease of etcd's minimum practical TTL.
        var lease = await etcd.GrantLeaseAsync(2);
        await etcd.RunAsync("put", "/lease-expire/a", "1", $"--lease={lease}");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await etcd.RunAsync("get", "/lease-expire/a")).StandardOutput != "")
        {
            Assert.True(DateTime.UtcNow < deadline, "a 2 s lease still held its key after 20 s");
            await Task.Delay(250);
        }

        Assert.Equal($"lease {lease} already expired\n", (await etcd.RunAsync("lease", "timetolive", lease)).StandardOutput);
    }
}
