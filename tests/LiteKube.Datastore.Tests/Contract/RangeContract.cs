using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>Which keys a range selects, in which order, and at which revision.</summary>
public abstract class RangeContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    private async Task PutKeysAsync(params string[] keys)
    {
        foreach (var key in keys)
        {
            await PutAsync(key, "v-" + key);
        }
    }

    private async Task<string[]> RangeKeysAsync(byte[] key, byte[]? end) =>
        (await Store.RangeAsync(new RangeRequest(key, end))).Kvs.Select(kv => S(kv.Key)).ToArray();

    [Fact]
    public async Task A_range_without_end_returns_only_that_key()
    {
        await PutKeysAsync("a", "ab", "b");

        var result = await Store.RangeAsync(new RangeRequest(B("a")));

        AssertKv(Assert.Single(result.Kvs), "a", "v-a", create: 2, mod: 2, version: 1);
        Assert.Equal(1, result.Count);
        Assert.False(result.More);
        Assert.Equal(4, result.Revision);
    }

    [Fact]
    public async Task An_empty_range_end_also_means_the_single_key()
    {
        await PutKeysAsync("a", "ab");

        Assert.Equal(["a"], await RangeKeysAsync(B("a"), []));
    }

    [Fact]
    public async Task A_range_of_a_missing_key_is_empty()
    {
        await PutKeysAsync("a");

        var result = await Store.RangeAsync(new RangeRequest(B("missing")));

        Assert.Empty(result.Kvs);
        Assert.Equal(0, result.Count);
        Assert.False(result.More);
    }

    [Fact]
    public async Task A_range_is_the_half_open_interval_from_key_to_range_end()
    {
        await PutKeysAsync("a", "b", "bb", "c", "d");

        Assert.Equal(["b", "bb", "c"], await RangeKeysAsync(B("b"), B("d")));
    }

    [Fact]
    public async Task A_prefix_range_returns_exactly_the_keys_under_the_prefix()
    {
        await PutKeysAsync("/registry/pods/a", "/registry/pods/b", "/registry/pods", "/registry/podsx", "/registry/pods0", "/registry/a");

        Assert.Equal(["/registry/pods/a", "/registry/pods/b"], await RangeKeysAsync(B("/registry/pods/"), PrefixEnd("/registry/pods/")));
    }

    [Fact]
    public async Task A_range_end_of_a_zero_byte_means_every_key_from_the_key_on()
    {
        await PutKeysAsync("a", "b", "c", "cc");

        Assert.Equal(["b", "c", "cc"], await RangeKeysAsync(B("b"), [0]));
    }

    [Fact]
    public async Task A_range_from_a_zero_byte_to_a_zero_byte_is_every_key()
    {
        await Store.PutAsync(new PutRequest([0], B("zero")));
        await PutKeysAsync("a", "z");
        await Store.PutAsync(new PutRequest([0xFF], B("ff")));

        var result = await Store.RangeAsync(new RangeRequest([0], [0]));

        Assert.Equal([[0], B("a"), B("z"), [0xFF]], result.Kvs.Select(kv => kv.Key).ToArray());
        Assert.Equal(4, result.Count);
    }

    [Fact]
    public async Task Keys_are_ordered_by_raw_unsigned_bytes()
    {
        byte[][] sorted =
        [
            [0x00], [0x00, 0x00], [0x01], B("a"), [(byte)'a', 0x00], [(byte)'a', 0x00, 0x00], [(byte)'a', 0x01],
            B("a/"), B("a/b"), B("a0"), B("ab"), [(byte)'a', 0x7F], [(byte)'a', 0x80], [(byte)'a', 0xFF], B("b"),
            [0xC3, 0xA9], [0xFF], [0xFF, 0x00], [0xFF, 0xFF], [0xFF, 0xFF, 0xFF],
        ];
        var shuffle = new Random(42);
        foreach (var key in sorted.OrderBy(_ => shuffle.Next()))
        {
            await Store.PutAsync(new PutRequest(key, key));
        }

        var all = await Store.RangeAsync(new RangeRequest([0], [0]));

        Assert.Equal(sorted.Length, all.Kvs.Count);
        Assert.Equal(sorted, all.Kvs.Select(kv => kv.Key).ToArray());
        Assert.All(all.Kvs, kv => Assert.Equal(kv.Key, kv.Value));
    }

    [Fact]
    public async Task Prefix_and_interval_ranges_respect_zero_and_0xFF_bytes()
    {
        foreach (var key in new byte[][] { B("a"), [(byte)'a', 0x00], [(byte)'a', 0xFF], [(byte)'a', 0xFF, 0x00], B("b"), [0xFF], [0xFF, 0xFF] })
        {
            await Store.PutAsync(new PutRequest(key, B("v")));
        }

        var underAFF = await Store.RangeAsync(new RangeRequest([(byte)'a', 0xFF], PrefixEnd([(byte)'a', 0xFF])));
        var underFF = await Store.RangeAsync(new RangeRequest([0xFF], PrefixEnd([0xFF])));
        var fromA0ToAFF = await Store.RangeAsync(new RangeRequest([(byte)'a', 0x00], [(byte)'a', 0xFF]));

        Assert.Equal([[(byte)'a', 0xFF], [(byte)'a', 0xFF, 0x00]], underAFF.Kvs.Select(kv => kv.Key).ToArray());
        Assert.Equal([[0xFF], [0xFF, 0xFF]], underFF.Kvs.Select(kv => kv.Key).ToArray());
        Assert.Equal([[(byte)'a', 0x00]], fromA0ToAFF.Kvs.Select(kv => kv.Key).ToArray());
    }

    [Fact]
    public async Task A_range_at_a_past_revision_sees_the_keys_as_they_were_then()
    {
        await PutAsync("a", "1");  // 2
        await PutAsync("a", "2");  // 3
        await PutAsync("b", "1");  // 4
        await DeleteAsync("a");    // 5
        await PutAsync("c", "1");  // 6

        Assert.Equal(["a"], await ListKeysAsync("", revision: 2));
        AssertKv(await GetAsync("a", revision: 2), "a", "1", create: 2, mod: 2, version: 1);
        AssertKv(await GetAsync("a", revision: 4), "a", "2", create: 2, mod: 3, version: 2);
        Assert.Equal(["a", "b"], await ListKeysAsync("", revision: 4));
        Assert.Equal(["b"], await ListKeysAsync("", revision: 5));
        Assert.Equal(["b", "c"], await ListKeysAsync("", revision: 6));
    }

    [Fact]
    public async Task A_range_at_a_past_revision_reports_the_current_revision()
    {
        await PutAsync("a", "1");
        await PutAsync("a", "2");

        var past = await Store.RangeAsync(new RangeRequest(B("a")) { Revision = 2 });

        Assert.Equal(3, past.Revision);
        Assert.Equal(1, past.Count);
    }

    [Fact]
    public async Task A_range_at_the_current_revision_given_explicitly_works()
    {
        await PutAsync("a", "1");

        AssertKv(await GetAsync("a", revision: 2), "a", "1", create: 2, mod: 2, version: 1);
    }

    [Fact]
    public async Task A_range_at_a_future_revision_fails_with_FutureRevision()
    {
        await PutAsync("a", "1");

        var ex = await AssertFailsAsync(DatastoreError.FutureRevision,
            () => Store.RangeAsync(new RangeRequest(B("a")) { Revision = 3 }));
        Assert.Equal("etcdserver: mvcc: required revision is a future revision", ex.Message);
    }

    [Fact]
    public async Task A_range_with_an_empty_key_fails_with_EmptyKey()
    {
        await AssertFailsAsync(DatastoreError.EmptyKey, () => Store.RangeAsync(new RangeRequest([])));
    }
}
