using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>Txn branches, their responses, nesting and atomicity.</summary>
public abstract class TxnContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    private static Compare VersionIs(string key, long version) =>
        new(B(key), CompareTarget.Version, CompareResult.Equal) { Number = version };

    private static TxnOp Put(string key, string value) => new TxnPutOp(new PutRequest(B(key), B(value)));

    private static TxnOp Get(string key) => new TxnRangeOp(new RangeRequest(B(key)));

    private static TxnOp Delete(string key) => new TxnDeleteOp(new DeleteRangeRequest(B(key)));

    [Fact]
    public async Task A_txn_runs_the_success_ops_when_every_compare_holds()
    {
        await PutAsync("k", "1");

        var result = await Store.TxnAsync(new TxnRequest([VersionIs("k", 1)], [Put("s", "yes")], [Put("f", "yes")]));

        Assert.True(result.Succeeded);
        Assert.Equal(3, result.Revision);
        Assert.Equal(["k", "s"], await ListKeysAsync(""));
        var put = Assert.IsType<PutResult>(Assert.Single(result.Responses));
        Assert.Equal(3, put.Revision);
    }

    [Fact]
    public async Task A_txn_runs_the_failure_ops_when_a_compare_fails()
    {
        await PutAsync("k", "1");

        var result = await Store.TxnAsync(new TxnRequest([VersionIs("k", 2)], [Put("s", "yes")], [Put("f", "yes"), Get("k")]));

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.Revision);
        Assert.Equal(["f", "k"], await ListKeysAsync(""));
        Assert.Equal(2, result.Responses.Count);
        Assert.IsType<PutResult>(result.Responses[0]);
        AssertKv(Assert.Single(Assert.IsType<RangeResult>(result.Responses[1]).Kvs), "k", "1", create: 2, mod: 2, version: 1);
    }

    [Fact]
    public async Task A_txn_returns_one_response_of_the_matching_type_per_op_in_order()
    {
        await PutAsync("a", "1");
        await PutAsync("b", "1");

        var result = await Store.TxnAsync(new TxnRequest([],
            [
                new TxnPutOp(new PutRequest(B("a"), B("2")) { PrevKv = true }),
                new TxnDeleteOp(new DeleteRangeRequest(B("b")) { PrevKv = true }),
                Get("a"),
                new TxnNestedOp(new TxnRequest([], [Get("b")], [])),
            ], []));

        Assert.Equal(4, result.Responses.Count);
        var put = Assert.IsType<PutResult>(result.Responses[0]);
        AssertKv(put.PrevKv, "a", "1", create: 2, mod: 2, version: 1);
        var delete = Assert.IsType<DeleteRangeResult>(result.Responses[1]);
        Assert.Equal(1, delete.Deleted);
        AssertKv(Assert.Single(delete.PrevKvs), "b", "1", create: 3, mod: 3, version: 1);
        AssertKv(Assert.Single(Assert.IsType<RangeResult>(result.Responses[2]).Kvs), "a", "2", create: 2, mod: 4, version: 2);
        var nested = Assert.IsType<TxnResult>(result.Responses[3]);
        Assert.True(nested.Succeeded);
        Assert.Empty(Assert.IsType<RangeResult>(Assert.Single(nested.Responses)).Kvs);
    }

    [Fact]
    public async Task A_range_in_a_txn_sees_the_earlier_writes_of_the_same_txn()
    {
        await PutAsync("gone", "x");

        var result = await Store.TxnAsync(new TxnRequest([],
            [Get("new"), Put("new", "1"), Get("new"), Delete("gone"), Get("gone")], []));

        Assert.Equal(3, result.Revision);
        Assert.Empty(Assert.IsType<RangeResult>(result.Responses[0]).Kvs);
        AssertKv(Assert.Single(Assert.IsType<RangeResult>(result.Responses[2]).Kvs), "new", "1", create: 3, mod: 3, version: 1);
        Assert.Empty(Assert.IsType<RangeResult>(result.Responses[4]).Kvs);
    }

    [Fact]
    public async Task Compares_see_the_store_before_the_txn_not_its_own_writes()
    {
        var result = await Store.TxnAsync(new TxnRequest([VersionIs("k", 0)], [Put("k", "1")], []));
        var again = await Store.TxnAsync(new TxnRequest([VersionIs("k", 0)], [Put("k", "2")], []));

        Assert.True(result.Succeeded);
        Assert.False(again.Succeeded);
        Assert.Equal("1", await GetValueAsync("k"));
    }

    [Fact]
    public async Task A_nested_txn_evaluates_its_own_compares_and_shares_the_outer_revision()
    {
        await PutAsync("k", "1");

        var result = await Store.TxnAsync(new TxnRequest([VersionIs("k", 1)],
            [
                Put("outer", "1"),
                new TxnNestedOp(new TxnRequest([VersionIs("k", 5)], [Put("inner-s", "1")], [Put("inner-f", "1")])),
                new TxnNestedOp(new TxnRequest([VersionIs("k", 1)],
                    [new TxnNestedOp(new TxnRequest([], [Put("deepest", "1")], []))], [])),
            ], []));

        Assert.True(result.Succeeded);
        Assert.Equal(3, result.Revision);
        Assert.False(Assert.IsType<TxnResult>(result.Responses[1]).Succeeded);
        Assert.True(Assert.IsType<TxnResult>(result.Responses[2]).Succeeded);
        Assert.Equal(["deepest", "inner-f", "k", "outer"], await ListKeysAsync(""));
        Assert.All((await ListAsync("")).Where(kv => S(kv.Key) != "k"), kv => Assert.Equal(3, kv.ModRevision));
    }

    [Fact]
    public async Task A_key_written_twice_in_a_txn_fails_with_DuplicateKey_and_changes_nothing()
    {
        await PutAsync("a", "0");

        await AssertFailsAsync(DatastoreError.DuplicateKey,
            () => Store.TxnAsync(new TxnRequest([], [Put("b", "1"), Put("a", "1"), Put("a", "2")], [])));
        await AssertFailsAsync(DatastoreError.DuplicateKey,
            () => Store.TxnAsync(new TxnRequest([], [Put("a", "1"), Delete("a")], [])));
        await AssertFailsAsync(DatastoreError.DuplicateKey,
            () => Store.TxnAsync(new TxnRequest([],
                [Put("a", "1"), new TxnNestedOp(new TxnRequest([], [Put("a", "2")], []))], [])));

        Assert.Equal(2, await CurrentRevisionAsync());
        Assert.Equal(["a"], await ListKeysAsync(""));
        Assert.Equal("0", await GetValueAsync("a"));
    }

    [Fact]
    public async Task A_put_inside_a_deleted_range_of_the_same_txn_fails_with_DuplicateKey()
    {
        await PutAsync("p/a", "0");

        await AssertFailsAsync(DatastoreError.DuplicateKey,
            () => Store.TxnAsync(new TxnRequest([],
                [new TxnDeleteOp(new DeleteRangeRequest(B("p/"), PrefixEnd("p/"))), Put("p/b", "1")], [])));

        Assert.Equal(["p/a"], await ListKeysAsync(""));
    }

    [Fact]
    public async Task The_same_key_may_be_written_in_the_success_and_the_failure_branch()
    {
        var result = await Store.TxnAsync(new TxnRequest([VersionIs("a", 0)], [Put("a", "s")], [Put("a", "f")]));

        Assert.True(result.Succeeded);
        Assert.Equal("s", await GetValueAsync("a"));
    }

    [Fact]
    public async Task A_txn_whose_put_names_an_unknown_lease_fails_and_applies_none_of_its_ops()
    {
        await PutAsync("a", "0");

        await AssertFailsAsync(DatastoreError.LeaseNotFound, () => Store.TxnAsync(new TxnRequest([],
            [Put("a", "1"), Delete("a2"), new TxnPutOp(new PutRequest(B("b"), B("1")) { Lease = 999 })], [])));

        Assert.Equal(["a"], await ListKeysAsync(""));
        Assert.Equal("0", await GetValueAsync("a"));
        Assert.Equal(2, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task A_txn_whose_put_ignores_the_value_of_a_missing_key_fails_with_KeyNotFound()
    {
        await AssertFailsAsync(DatastoreError.KeyNotFound, () => Store.TxnAsync(new TxnRequest([],
            [Put("a", "1"), new TxnPutOp(new PutRequest(B("missing"), []) { IgnoreValue = true })], [])));

        Assert.Empty(await ListKeysAsync(""));
        Assert.Equal(1, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task A_txn_range_at_a_past_revision_reads_history()
    {
        await PutAsync("a", "1");
        await PutAsync("a", "2");

        var result = await Store.TxnAsync(new TxnRequest([],
            [new TxnRangeOp(new RangeRequest(B("a")) { Revision = 2 })], []));

        AssertKv(Assert.Single(Assert.IsType<RangeResult>(Assert.Single(result.Responses)).Kvs), "a", "1", create: 2, mod: 2, version: 1);
    }

    [Fact]
    public async Task A_txn_with_an_empty_key_in_an_op_fails_with_EmptyKey()
    {
        await AssertFailsAsync(DatastoreError.EmptyKey,
            () => Store.TxnAsync(new TxnRequest([], [Put("a", "1"), new TxnPutOp(new PutRequest([], B("v")))], [])));

        Assert.Equal(1, await CurrentRevisionAsync());
    }
}
