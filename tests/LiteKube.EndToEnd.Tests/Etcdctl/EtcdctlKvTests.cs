using System.Text;
using System.Text.Json;

namespace LiteKube.EndToEnd.Tests.Etcdctl;

/// <summary>etcdctl 3.4 put / get / del against the published binary; expected output is what
/// etcd 3.4 prints for the same commands.</summary>
[Collection(EtcdctlCollection.Name)]
public sealed class EtcdctlKvTests(EtcdctlNode etcd)
{
    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Put_prints_OK_and_get_prints_the_key_and_value()
    {
        var put = await etcd.RunAsync("put", "/kv-get/a", "hello world");
        var get = await etcd.RunAsync("get", "/kv-get/a");
        var valueOnly = await etcd.RunAsync("get", "/kv-get/a", "--print-value-only");

        Assert.Equal("OK\n", put.StandardOutput);
        Assert.Equal("/kv-get/a\nhello world\n", get.StandardOutput);
        Assert.Equal("hello world\n", valueOnly.StandardOutput);
    }

    [Fact]
    public async Task Put_with_prev_kv_prints_the_previous_key_and_value()
    {
        var first = await etcd.RunAsync("put", "/kv-prev/a", "1", "--prev-kv");
        var second = await etcd.RunAsync("put", "/kv-prev/a", "2", "--prev-kv");

        Assert.Equal("OK\n", first.StandardOutput);
        Assert.Equal("OK\n/kv-prev/a\n1\n", second.StandardOutput);
    }

    [Fact]
    public async Task Get_of_a_missing_key_prints_nothing_and_succeeds()
    {
        var get = await etcd.RunAsync("get", "/kv-missing/nothing");

        Assert.Equal("", get.StandardOutput);
    }

    [Fact]
    public async Task Get_with_prefix_prints_every_key_under_it_in_order()
    {
        await etcd.RunAsync("put", "/kv-prefix/b", "2");
        await etcd.RunAsync("put", "/kv-prefix/a", "1");
        await etcd.RunAsync("put", "/kv-prefix/c/d", "3");
        await etcd.RunAsync("put", "/kv-prefix0", "outside");

        var get = await etcd.RunAsync("get", "/kv-prefix/", "--prefix");

        Assert.Equal("/kv-prefix/a\n1\n/kv-prefix/b\n2\n/kv-prefix/c/d\n3\n", get.StandardOutput);
    }

    [Fact]
    public async Task Get_of_a_range_prints_the_keys_from_key_up_to_range_end()
    {
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            await etcd.RunAsync("put", $"/kv-range/{key}", key);
        }

        var get = await etcd.RunAsync("get", "/kv-range/b", "/kv-range/d", "--keys-only");

        Assert.Equal("/kv-range/b\n\n/kv-range/c\n\n", get.StandardOutput);
    }

    [Fact]
    public async Task Get_at_a_past_revision_prints_the_value_of_then()
    {
        await etcd.RunAsync("put", "/kv-rev/a", "old");
        var revision = await etcd.RevisionAsync();
        await etcd.RunAsync("put", "/kv-rev/a", "new");

        var past = await etcd.RunAsync("get", "/kv-rev/a", $"--rev={revision}");
        var now = await etcd.RunAsync("get", "/kv-rev/a");

        Assert.Equal("/kv-rev/a\nold\n", past.StandardOutput);
        Assert.Equal("/kv-rev/a\nnew\n", now.StandardOutput);
    }

    [Fact]
    public async Task Get_at_a_future_revision_fails_with_the_future_revision_error()
    {
        var revision = await etcd.RevisionAsync();

        await etcd.FailAsync(1, "Error: etcdserver: mvcc: required revision is a future revision",
            "get", "/kv-future/a", $"--rev={revision + 100}");
    }

    [Fact]
    public async Task Get_with_limit_prints_the_first_keys_and_json_reports_more_and_the_full_count()
    {
        foreach (var key in new[] { "a", "b", "c" })
        {
            await etcd.RunAsync("put", $"/kv-limit/{key}", key);
        }

        var limited = await etcd.RunAsync("get", "/kv-limit/", "--prefix", "--limit=2");
        var json = await etcd.RunAsync("get", "/kv-limit/", "--prefix", "--limit=1", "-w", "json");

        Assert.Equal("/kv-limit/a\na\n/kv-limit/b\nb\n", limited.StandardOutput);
        var root = JsonDocument.Parse(json.StandardOutput).RootElement;
        Assert.True(root.GetProperty("more").GetBoolean());
        Assert.Equal(3, root.GetProperty("count").GetInt64());
        Assert.Equal(Base64("/kv-limit/a"), root.GetProperty("kvs")[0].GetProperty("key").GetString());
    }

    [Fact]
    public async Task Get_with_sort_and_limit_sorts_before_it_limits()
    {
        await etcd.RunAsync("put", "/kv-sort/a", "3");
        await etcd.RunAsync("put", "/kv-sort/b", "1");
        await etcd.RunAsync("put", "/kv-sort/c", "2");

        var byValue = await etcd.RunAsync("get", "/kv-sort/", "--prefix", "--sort-by=VALUE", "--order=DESCEND", "--limit=2");
        var byKey = await etcd.RunAsync("get", "/kv-sort/", "--prefix", "--order=DESCEND", "--keys-only", "--limit=1");

        Assert.Equal("/kv-sort/a\n3\n/kv-sort/c\n2\n", byValue.StandardOutput);
        Assert.Equal("/kv-sort/c\n\n", byKey.StandardOutput);
    }

    [Fact]
    public async Task Get_with_keys_only_prints_keys_with_empty_values()
    {
        await etcd.RunAsync("put", "/kv-keys/a", "1");
        await etcd.RunAsync("put", "/kv-keys/b", "2");

        var get = await etcd.RunAsync("get", "/kv-keys/", "--prefix", "--keys-only");

        Assert.Equal("/kv-keys/a\n\n/kv-keys/b\n\n", get.StandardOutput);
    }

    /// <summary>etcdctl 3.4 has no --count-only (3.5 added it); the count is in the JSON output.</summary>
    [Fact]
    public async Task Get_in_json_reports_the_count_and_every_revision_field()
    {
        // Each put's own revision, from its response: the node is shared, so a separate
        // "current revision" query could see another change in between.
        var created = await etcd.PutRevisionAsync("/kv-json/a", "1");
        var modified = await etcd.PutRevisionAsync("/kv-json/a", "2");
        var last = await etcd.PutRevisionAsync("/kv-json/b", "1");

        var json = await etcd.RunAsync("get", "/kv-json/", "--prefix", "-w", "json");

        var root = JsonDocument.Parse(json.StandardOutput).RootElement;
        Assert.Equal(2, root.GetProperty("count").GetInt64());
        var a = root.GetProperty("kvs")[0];
        Assert.Equal((created, modified, 2L), (a.GetProperty("create_revision").GetInt64(), a.GetProperty("mod_revision").GetInt64(), a.GetProperty("version").GetInt64()));
        Assert.Equal(Base64("2"), a.GetProperty("value").GetString());
        // At least the last put's: the server's own node agent writes too (its Lease every 10 s).
        Assert.InRange(root.GetProperty("header").GetProperty("revision").GetInt64(), last, long.MaxValue);
    }

    [Fact]
    public async Task Del_with_prefix_and_prev_kv_prints_the_count_and_the_deleted_pairs()
    {
        await etcd.RunAsync("put", "/kv-del/a", "1");
        await etcd.RunAsync("put", "/kv-del/b", "2");
        await etcd.RunAsync("put", "/kv-del0", "kept");

        var del = await etcd.RunAsync("del", "/kv-del/", "--prefix", "--prev-kv");
        var after = await etcd.RunAsync("get", "/kv-del", "--prefix");

        Assert.Equal("2\n/kv-del/a\n1\n/kv-del/b\n2\n", del.StandardOutput);
        Assert.Equal("/kv-del0\nkept\n", after.StandardOutput);
    }

    [Fact]
    public async Task Del_of_a_missing_key_prints_0_and_does_not_change_the_revision()
    {
        var before = await etcd.RevisionAsync();

        var del = await etcd.RunAsync("del", "/kv-del-missing/nothing");

        Assert.Equal("0\n", del.StandardOutput);
        Assert.Equal(before, await etcd.RevisionAsync());
    }
}
