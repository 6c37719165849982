using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>DeleteRange of a key, an interval, a prefix or everything.</summary>
public abstract class DeleteRangeContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    private async Task PutKeysAsync(params string[] keys)
    {
        foreach (var key in keys)
        {
            await PutAsync(key, "v-" + key);
        }
    }

    [Fact]
    public async Task Delete_of_a_single_key_removes_only_that_key()
    {
        await PutKeysAsync("a", "ab", "b");

        var result = await DeleteAsync("a");

        Assert.Equal((5L, 1L), (result.Revision, result.Deleted));
        Assert.Empty(result.PrevKvs);
        Assert.Equal(["ab", "b"], await ListKeysAsync(""));
    }

    [Fact]
    public async Task Delete_of_an_interval_removes_the_keys_in_it_in_one_revision()
    {
        await PutKeysAsync("a", "b", "bb", "c", "d");

        var result = await Store.DeleteRangeAsync(new DeleteRangeRequest(B("b"), B("d")));

        Assert.Equal((7L, 3L), (result.Revision, result.Deleted));
        Assert.Equal(["a", "d"], await ListKeysAsync(""));
        Assert.Equal(7, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task Delete_of_a_prefix_with_PrevKv_returns_every_deleted_kv_in_key_order()
    {
        await PutKeysAsync("p/b", "p/a", "q");
        await PutAsync("p/a", "second");

        var result = await Store.DeleteRangeAsync(new DeleteRangeRequest(B("p/"), PrefixEnd("p/")) { PrevKv = true });

        Assert.Equal(2, result.Deleted);
        Assert.Equal(2, result.PrevKvs.Count);
        AssertKv(result.PrevKvs[0], "p/a", "second", create: 3, mod: 5, version: 2);
        AssertKv(result.PrevKvs[1], "p/b", "v-p/b", create: 2, mod: 2, version: 1);
        Assert.Equal(["q"], await ListKeysAsync(""));
    }

    [Fact]
    public async Task Delete_from_a_zero_byte_to_a_zero_byte_removes_every_key()
    {
        await PutKeysAsync("a", "m", "z");

        var result = await Store.DeleteRangeAsync(new DeleteRangeRequest([0], [0]));

        Assert.Equal(3, result.Deleted);
        Assert.Empty(await ListKeysAsync(""));
    }

    [Fact]
    public async Task Delete_with_a_zero_byte_end_removes_every_key_from_the_key_on()
    {
        await PutKeysAsync("a", "m", "z");

        var result = await Store.DeleteRangeAsync(new DeleteRangeRequest(B("m"), [0]));

        Assert.Equal(2, result.Deleted);
        Assert.Equal(["a"], await ListKeysAsync(""));
    }

    [Fact]
    public async Task Delete_of_a_missing_key_deletes_nothing_and_returns_no_prev_kvs()
    {
        await PutKeysAsync("a");

        var result = await Store.DeleteRangeAsync(new DeleteRangeRequest(B("b"), B("z")) { PrevKv = true });

        Assert.Equal((2L, 0L), (result.Revision, result.Deleted));
        Assert.Empty(result.PrevKvs);
    }

    [Fact]
    public async Task A_deleted_key_stays_readable_at_the_revisions_before_the_delete()
    {
        await PutKeysAsync("a");
        await DeleteAsync("a");

        AssertKv(await GetAsync("a", revision: 2), "a", "v-a", create: 2, mod: 2, version: 1);
        Assert.Null(await GetAsync("a", revision: 3));
        Assert.Null(await GetAsync("a"));
    }

    [Fact]
    public async Task Delete_with_an_empty_key_fails_with_EmptyKey()
    {
        await AssertFailsAsync(DatastoreError.EmptyKey, () => Store.DeleteRangeAsync(new DeleteRangeRequest([])));
    }
}
