using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>The global revision and the per-key create_revision / mod_revision / version.</summary>
public abstract class RevisionContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    [Fact]
    public async Task An_empty_store_is_at_revision_1()
    {
        var result = await Store.RangeAsync(new RangeRequest(B("\0"), [0]));

        Assert.Equal(1, result.Revision);
        Assert.Empty(result.Kvs);
        Assert.Equal(0, result.Count);
        Assert.False(result.More);
    }

    [Fact]
    public async Task Each_put_bumps_the_revision_by_exactly_one()
    {
        Assert.Equal(2, (await PutAsync("a", "1")).Revision);
        Assert.Equal(3, (await PutAsync("b", "1")).Revision);
        Assert.Equal(4, (await PutAsync("a", "2")).Revision);
        Assert.Equal(4, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task A_put_of_the_same_value_is_still_a_new_revision_and_version()
    {
        await PutAsync("a", "same");
        var second = await PutAsync("a", "same");

        Assert.Equal(3, second.Revision);
        AssertKv(await GetAsync("a"), "a", "same", create: 2, mod: 3, version: 2);
    }

    [Fact]
    public async Task A_delete_bumps_the_revision_by_one_and_a_delete_of_nothing_does_not()
    {
        await PutAsync("a", "1");
        await PutAsync("b", "1");

        var deleted = await Store.DeleteRangeAsync(new DeleteRangeRequest(B("a"), B("c")));
        var nothing = await DeleteAsync("missing");

        Assert.Equal((4L, 2L), (deleted.Revision, deleted.Deleted));
        Assert.Equal((4L, 0L), (nothing.Revision, nothing.Deleted));
        Assert.Equal(5, (await PutAsync("c", "1")).Revision);
    }

    [Fact]
    public async Task A_txn_with_several_writes_is_one_revision()
    {
        await PutAsync("gone", "x");

        var txn = await Store.TxnAsync(new TxnRequest([],
            [
                new TxnPutOp(new PutRequest(B("a"), B("1"))),
                new TxnPutOp(new PutRequest(B("b"), B("2"))),
                new TxnDeleteOp(new DeleteRangeRequest(B("gone"))),
            ], []));

        Assert.Equal(3, txn.Revision);
        AssertKv(await GetAsync("a"), "a", "1", create: 3, mod: 3, version: 1);
        AssertKv(await GetAsync("b"), "b", "2", create: 3, mod: 3, version: 1);
        Assert.Null(await GetAsync("gone"));
        Assert.Equal(3, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task A_txn_that_writes_nothing_does_not_bump_the_revision()
    {
        await PutAsync("a", "1");

        var readOnly = await Store.TxnAsync(new TxnRequest([], [new TxnRangeOp(new RangeRequest(B("a")))], []));
        var deleteOfNothing = await Store.TxnAsync(new TxnRequest([], [new TxnDeleteOp(new DeleteRangeRequest(B("missing")))], []));
        var failedWithoutOps = await Store.TxnAsync(new TxnRequest(
            [new Compare(B("a"), CompareTarget.Version, CompareResult.Equal) { Number = 7 }],
            [new TxnPutOp(new PutRequest(B("a"), B("2")))], []));

        Assert.Equal(2, readOnly.Revision);
        Assert.Equal(2, deleteOfNothing.Revision);
        Assert.False(failedWithoutOps.Succeeded);
        Assert.Equal(2, failedWithoutOps.Revision);
        Assert.Equal(2, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task Create_and_mod_revision_and_version_are_tracked_per_key()
    {
        await PutAsync("a", "1"); // 2
        await PutAsync("b", "1"); // 3
        await PutAsync("a", "2"); // 4
        await PutAsync("a", "3"); // 5

        AssertKv(await GetAsync("a"), "a", "3", create: 2, mod: 5, version: 3);
        AssertKv(await GetAsync("b"), "b", "1", create: 3, mod: 3, version: 1);
    }

    [Fact]
    public async Task Version_and_create_revision_restart_after_delete_and_recreate()
    {
        await PutAsync("a", "1"); // 2
        await PutAsync("a", "2"); // 3
        await DeleteAsync("a");   // 4
        await PutAsync("a", "3"); // 5

        AssertKv(await GetAsync("a"), "a", "3", create: 5, mod: 5, version: 1);
        AssertKv(await GetAsync("a", revision: 3), "a", "2", create: 2, mod: 3, version: 2);
        Assert.Null(await GetAsync("a", revision: 4));
    }

    [Fact]
    public async Task Lease_grant_keep_alive_and_compaction_do_not_bump_the_revision()
    {
        await PutAsync("a", "1");

        var grant = await Store.LeaseGrantAsync(0, 60);
        await Store.LeaseKeepAliveAsync(grant.Id);
        await Store.CompactAsync(2);

        Assert.Equal(2, grant.Revision);
        Assert.Equal(2, await CurrentRevisionAsync());
        Assert.Equal(3, (await PutAsync("b", "1")).Revision);
    }
}
