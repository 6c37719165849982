using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>Put and its options.</summary>
public abstract class PutContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    [Fact]
    public async Task Put_returns_the_previous_kv_only_when_asked()
    {
        var first = await Store.PutAsync(new PutRequest(B("a"), B("1")) { PrevKv = true });
        var second = await Store.PutAsync(new PutRequest(B("a"), B("2")) { PrevKv = true });
        var third = await Store.PutAsync(new PutRequest(B("a"), B("3")));

        Assert.Null(first.PrevKv);
        AssertKv(second.PrevKv, "a", "1", create: 2, mod: 2, version: 1);
        Assert.Null(third.PrevKv);
        Assert.Equal((2L, 3L, 4L), (first.Revision, second.Revision, third.Revision));
    }

    [Fact]
    public async Task Put_after_a_delete_has_no_previous_kv()
    {
        await PutAsync("a", "1");
        await DeleteAsync("a");

        var put = await Store.PutAsync(new PutRequest(B("a"), B("2")) { PrevKv = true });

        Assert.Null(put.PrevKv);
    }

    [Fact]
    public async Task Put_of_an_empty_value_stores_a_key_with_an_empty_value()
    {
        await PutAsync("a", "");

        AssertKv(await GetAsync("a"), "a", "", create: 2, mod: 2, version: 1);
    }

    [Fact]
    public async Task Put_of_a_large_binary_value_returns_it_byte_for_byte()
    {
        var value = new byte[256 * 1024];
        new Random(7).NextBytes(value);

        await Store.PutAsync(new PutRequest(B("big"), value));

        Assert.Equal(value, (await GetAsync("big"))!.Value);
    }

    [Fact]
    public async Task Put_with_an_empty_key_fails_with_EmptyKey_and_changes_nothing()
    {
        var ex = await AssertFailsAsync(DatastoreError.EmptyKey, () => Store.PutAsync(new PutRequest([], B("v"))));

        Assert.Equal("etcdserver: key is not provided", ex.Message);
        Assert.Equal(1, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task Put_attaches_the_lease_to_the_key()
    {
        var lease = await Store.LeaseGrantAsync(0, 60);

        await PutAsync("a", "1", lease.Id);

        AssertKv(await GetAsync("a"), "a", "1", create: 2, mod: 2, version: 1, lease: lease.Id);
        var ttl = await Store.LeaseTimeToLiveAsync(lease.Id, includeKeys: true);
        Assert.Equal(["a"], ttl!.Keys.Select(S));
    }

    [Fact]
    public async Task Put_with_an_unknown_lease_fails_with_LeaseNotFound_and_changes_nothing()
    {
        await PutAsync("a", "1");

        var ex = await AssertFailsAsync(DatastoreError.LeaseNotFound, () => PutAsync("a", "2", lease: 12345));

        Assert.Equal("etcdserver: requested lease not found", ex.Message);
        AssertKv(await GetAsync("a"), "a", "1", create: 2, mod: 2, version: 1);
        Assert.Equal(2, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task Put_with_IgnoreValue_keeps_the_value_and_makes_a_new_version()
    {
        var lease = await Store.LeaseGrantAsync(0, 60);
        await PutAsync("a", "kept");

        var put = await Store.PutAsync(new PutRequest(B("a"), []) { IgnoreValue = true, Lease = lease.Id, PrevKv = true });

        Assert.Equal(3, put.Revision);
        AssertKv(put.PrevKv, "a", "kept", create: 2, mod: 2, version: 1);
        AssertKv(await GetAsync("a"), "a", "kept", create: 2, mod: 3, version: 2, lease: lease.Id);
    }

    [Fact]
    public async Task Put_with_IgnoreLease_keeps_the_lease_and_changes_the_value()
    {
        var lease = await Store.LeaseGrantAsync(0, 60);
        await PutAsync("a", "1", lease.Id);

        await Store.PutAsync(new PutRequest(B("a"), B("2")) { IgnoreLease = true });

        AssertKv(await GetAsync("a"), "a", "2", create: 2, mod: 3, version: 2, lease: lease.Id);
    }

    [Fact]
    public async Task Put_with_IgnoreValue_on_a_missing_key_fails_with_KeyNotFound()
    {
        var ex = await AssertFailsAsync(DatastoreError.KeyNotFound,
            () => Store.PutAsync(new PutRequest(B("missing"), []) { IgnoreValue = true }));

        Assert.Equal("etcdserver: key not found", ex.Message);
        Assert.Null(await GetAsync("missing"));
        Assert.Equal(1, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task Put_with_IgnoreLease_on_a_deleted_key_fails_with_KeyNotFound()
    {
        await PutAsync("a", "1");
        await DeleteAsync("a");

        await AssertFailsAsync(DatastoreError.KeyNotFound,
            () => Store.PutAsync(new PutRequest(B("a"), B("2")) { IgnoreLease = true }));

        Assert.Null(await GetAsync("a"));
        Assert.Equal(3, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task A_stored_kv_does_not_change_when_the_caller_reuses_its_buffers_after_the_put()
    {
        var key = B("a");
        var value = B("original");
        await Store.PutAsync(new PutRequest(key, value));
        value[0] = (byte)'X';
        key[0] = (byte)'z';

        Assert.Equal("original", await GetValueAsync("a"));
        Assert.Null(await GetAsync("z"));
    }
}
