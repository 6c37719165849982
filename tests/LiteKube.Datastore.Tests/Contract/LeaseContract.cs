using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>Lease grant, keep-alive, time-to-live, list and revoke (expiry is in
/// <see cref="LeaseExpiryContract{TStore}"/>).</summary>
public abstract class LeaseContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    [Fact]
    public async Task Grant_with_id_0_picks_distinct_positive_ids()
    {
        var ids = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            var grant = await Store.LeaseGrantAsync(0, 60);
            Assert.Equal(60, grant.Ttl);
            ids.Add(grant.Id);
        }

        Assert.All(ids, id => Assert.True(id > 0, $"lease id {id} is not positive"));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Grant_with_an_explicit_id_uses_that_id()
    {
        var grant = await Store.LeaseGrantAsync(0x1234, 30);

        Assert.Equal((0x1234L, 30L), (grant.Id, grant.Ttl));
        Assert.Equal(30, (await Store.LeaseTimeToLiveAsync(0x1234, false))!.GrantedTtl);
    }

    [Fact]
    public async Task Grant_with_id_0_never_picks_an_id_already_granted_explicitly()
    {
        var explicitIds = Enumerable.Range(1, 50).Select(i => (long)i).ToHashSet();
        foreach (var id in explicitIds)
        {
            await Store.LeaseGrantAsync(id, 60);
        }

        for (var i = 0; i < 20; i++)
        {
            var picked = (await Store.LeaseGrantAsync(0, 60)).Id;
            Assert.DoesNotContain(picked, explicitIds);
            explicitIds.Add(picked);
        }
    }

    [Fact]
    public async Task Grant_with_an_existing_id_fails_with_LeaseExists()
    {
        await Store.LeaseGrantAsync(42, 60);

        await AssertFailsAsync(DatastoreError.LeaseExists, () => Store.LeaseGrantAsync(42, 10));

        Assert.Equal(60, (await Store.LeaseTimeToLiveAsync(42, false))!.GrantedTtl);
    }

    [Fact]
    public async Task Grant_with_a_ttl_above_etcds_maximum_fails_with_LeaseTtlTooLarge()
    {
        await AssertFailsAsync(DatastoreError.LeaseTtlTooLarge, () => Store.LeaseGrantAsync(5, MaxLeaseTtl + 1));

        Assert.Null(await Store.LeaseTimeToLiveAsync(5, false));
    }

    [FakeClockFact]
    public async Task TimeToLive_reports_the_remaining_and_granted_ttl_and_the_attached_keys()
    {
        var lease = await Store.LeaseGrantAsync(0, 60);
        await PutAsync("b", "1", lease.Id);
        await PutAsync("a", "1", lease.Id);
        await PutAsync("c", "1");

        Clock.Advance(TimeSpan.FromSeconds(10));
        var withKeys = await Store.LeaseTimeToLiveAsync(lease.Id, includeKeys: true);
        var withoutKeys = await Store.LeaseTimeToLiveAsync(lease.Id, includeKeys: false);

        Assert.NotNull(withKeys);
        Assert.Equal((lease.Id, 50L, 60L), (withKeys.Id, withKeys.Ttl, withKeys.GrantedTtl));
        Assert.Equal(["a", "b"], withKeys.Keys.Select(S).Order());
        Assert.Empty(withoutKeys!.Keys);
        Assert.Equal(4, withKeys.Revision);
    }

    [Fact]
    public async Task TimeToLive_of_an_unknown_lease_is_null()
    {
        Assert.Null(await Store.LeaseTimeToLiveAsync(777, includeKeys: true));
    }

    [FakeClockFact]
    public async Task KeepAlive_renews_the_lease_to_its_full_ttl()
    {
        var lease = await Store.LeaseGrantAsync(0, 10);
        await PutAsync("a", "1", lease.Id);

        Clock.Advance(TimeSpan.FromSeconds(9));
        var renewed = await Store.LeaseKeepAliveAsync(lease.Id);
        Clock.Advance(TimeSpan.FromSeconds(9));

        Assert.Equal((lease.Id, 10L), (renewed.Id, renewed.Ttl));
        var ttl = await Store.LeaseTimeToLiveAsync(lease.Id, includeKeys: true);
        Assert.NotNull(ttl);
        Assert.Equal(1, ttl.Ttl);
        Assert.Equal("1", await GetValueAsync("a"));
    }

    [Fact]
    public async Task KeepAlive_of_an_unknown_lease_fails_with_LeaseNotFound()
    {
        await AssertFailsAsync(DatastoreError.LeaseNotFound, () => Store.LeaseKeepAliveAsync(31337));
    }

    [Fact]
    public async Task List_returns_every_live_lease()
    {
        var a = await Store.LeaseGrantAsync(0, 60);
        var b = await Store.LeaseGrantAsync(99, 60);
        var c = await Store.LeaseGrantAsync(0, 60);
        await Store.LeaseRevokeAsync(c.Id);

        var list = await Store.LeaseListAsync();

        Assert.Equal(new[] { a.Id, b.Id }.Order(), list.Ids.Order());
    }

    [Fact]
    public async Task Revoke_deletes_every_attached_key_in_one_revision()
    {
        var lease = await Store.LeaseGrantAsync(0, 60);
        await PutAsync("a", "1", lease.Id); // 2
        await PutAsync("b", "1", lease.Id); // 3
        await PutAsync("c", "1");           // 4

        var revision = await Store.LeaseRevokeAsync(lease.Id);

        Assert.Equal(5, revision);
        Assert.Equal(["c"], await ListKeysAsync(""));
        Assert.Equal(5, await CurrentRevisionAsync());
        Assert.Null(await Store.LeaseTimeToLiveAsync(lease.Id, false));
        Assert.Empty((await Store.LeaseListAsync()).Ids);
        await AssertFailsAsync(DatastoreError.LeaseNotFound, () => Store.LeaseKeepAliveAsync(lease.Id));
        await AssertFailsAsync(DatastoreError.LeaseNotFound, () => PutAsync("d", "1", lease.Id));
    }

    [Fact]
    public async Task Revoke_of_a_lease_without_keys_does_not_bump_the_revision()
    {
        await PutAsync("a", "1");
        var lease = await Store.LeaseGrantAsync(0, 60);

        var revision = await Store.LeaseRevokeAsync(lease.Id);

        Assert.Equal(2, revision);
        Assert.Equal(3, (await PutAsync("b", "1")).Revision);
    }

    [Fact]
    public async Task Revoke_of_an_unknown_lease_fails_with_LeaseNotFound()
    {
        await AssertFailsAsync(DatastoreError.LeaseNotFound, () => Store.LeaseRevokeAsync(4242));
    }

    [Fact]
    public async Task A_key_put_again_without_the_lease_is_detached_from_it()
    {
        var lease = await Store.LeaseGrantAsync(0, 60);
        await PutAsync("a", "1", lease.Id);
        await PutAsync("b", "1", lease.Id);
        await PutAsync("a", "2");

        var ttl = await Store.LeaseTimeToLiveAsync(lease.Id, includeKeys: true);
        await Store.LeaseRevokeAsync(lease.Id);

        Assert.Equal(["b"], ttl!.Keys.Select(S));
        AssertKv(await GetAsync("a"), "a", "2", create: 2, mod: 4, version: 2);
        Assert.Null(await GetAsync("b"));
    }

    [Fact]
    public async Task A_key_moved_to_another_lease_follows_the_new_lease()
    {
        var first = await Store.LeaseGrantAsync(0, 60);
        var second = await Store.LeaseGrantAsync(0, 60);
        await PutAsync("a", "1", first.Id);
        await PutAsync("a", "2", second.Id);

        var revision = await Store.LeaseRevokeAsync(first.Id);

        Assert.Equal(3, revision);
        AssertKv(await GetAsync("a"), "a", "2", create: 2, mod: 3, version: 2, lease: second.Id);
        await Store.LeaseRevokeAsync(second.Id);
        Assert.Null(await GetAsync("a"));
    }

    [Fact]
    public async Task A_deleted_key_is_no_longer_attached_to_its_lease()
    {
        var lease = await Store.LeaseGrantAsync(0, 60);
        await PutAsync("a", "1", lease.Id);
        await DeleteAsync("a");
        await PutAsync("a", "2");

        var ttl = await Store.LeaseTimeToLiveAsync(lease.Id, includeKeys: true);
        var revision = await Store.LeaseRevokeAsync(lease.Id);

        Assert.Empty(ttl!.Keys);
        Assert.Equal(4, revision);
        Assert.Equal("2", await GetValueAsync("a"));
    }

    [Fact]
    public async Task A_put_in_a_txn_attaches_the_lease_and_revoke_shows_prev_kvs_to_watchers()
    {
        var lease = await Store.LeaseGrantAsync(0, 60);
        await Store.TxnAsync(new TxnRequest([],
            [new TxnPutOp(new PutRequest(B("a"), B("1")) { Lease = lease.Id }), new TxnPutOp(new PutRequest(B("b"), B("1")) { Lease = lease.Id })],
            []));
        await using var watch = Watch(new WatchRequest(B("a"), B("c")) { PrevKv = true });

        await Store.LeaseRevokeAsync(lease.Id);

        var events = await watch.NextEventsAsync(2);
        Assert.All(events, e => Assert.Equal(WatchEventType.Delete, e.Type));
        Assert.All(events, e => AssertKv(e.PrevKv, S(e.Kv.Key), "1", create: 2, mod: 2, version: 1, lease: lease.Id));
    }
}
