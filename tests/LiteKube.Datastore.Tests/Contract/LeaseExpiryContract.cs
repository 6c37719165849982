using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>Leases expire on the injected clock and take their keys with them.</summary>
public abstract class LeaseExpiryContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    [Fact]
    public async Task An_expired_lease_deletes_its_keys_in_one_revision()
    {
        var lease = await Store.LeaseGrantAsync(0, 10);
        await PutAsync("p/a", "1", lease.Id); // 2
        await PutAsync("p/b", "1", lease.Id); // 3
        await PutAsync("p/c", "1");           // 4
        await using var watch = WatchPrefix("p/");

        Clock.Advance(TimeSpan.FromSeconds(11));

        var events = await watch.NextEventsAsync(2);
        Assert.All(events, e => Assert.Equal(WatchEventType.Delete, e.Type));
        Assert.All(events, e => Assert.Equal(5, e.Kv.ModRevision));
        Assert.Equal(["p/a", "p/b"], events.Select(e => S(e.Kv.Key)).Order());
        Assert.Equal(["p/c"], await ListKeysAsync("p/"));
        Assert.Equal(5, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task An_expired_lease_is_gone()
    {
        var lease = await Store.LeaseGrantAsync(0, 10);
        await PutAsync("a", "1", lease.Id);
        await using var watch = Watch(new WatchRequest(B("a")));

        Clock.Advance(TimeSpan.FromSeconds(11));
        await watch.NextEventsAsync(1);

        Assert.Null(await Store.LeaseTimeToLiveAsync(lease.Id, includeKeys: true));
        Assert.DoesNotContain(lease.Id, (await Store.LeaseListAsync()).Ids);
        await AssertFailsAsync(DatastoreError.LeaseNotFound, () => Store.LeaseKeepAliveAsync(lease.Id));
        await AssertFailsAsync(DatastoreError.LeaseNotFound, () => PutAsync("a", "2", lease.Id));
    }

    [Fact]
    public async Task A_lease_without_keys_expires_without_a_new_revision()
    {
        await PutAsync("a", "1");
        var lease = await Store.LeaseGrantAsync(0, 10);

        Clock.Advance(TimeSpan.FromSeconds(11));

        await EventuallyAsync(async () => await Store.LeaseTimeToLiveAsync(lease.Id, false) is null, "the lease expired");
        Assert.Equal(2, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task A_lease_does_not_expire_before_its_ttl()
    {
        var lease = await Store.LeaseGrantAsync(0, 10);
        await PutAsync("a", "1", lease.Id);
        var marker = await Store.LeaseGrantAsync(0, 9);
        await using var watch = Watch(new WatchRequest(B("a")));

        // The marker lease (TTL 9) must be gone before the one under test (TTL 10) may go.
        Clock.Advance(TimeSpan.FromSeconds(9.5));
        await EventuallyAsync(async () => await Store.LeaseTimeToLiveAsync(marker.Id, false) is null, "the 9 s marker lease expired");

        watch.AssertNothingPending();
        Assert.Equal("1", await GetValueAsync("a"));
        Assert.NotNull(await Store.LeaseTimeToLiveAsync(lease.Id, false));
    }

    [Fact]
    public async Task A_kept_alive_lease_outlives_its_original_ttl_and_then_expires()
    {
        var lease = await Store.LeaseGrantAsync(0, 10);
        await PutAsync("a", "1", lease.Id);
        await using var watch = Watch(new WatchRequest(B("a")));

        for (var i = 0; i < 5; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(8));
            await Store.LeaseKeepAliveAsync(lease.Id);
        }
        watch.AssertNothingPending();
        Assert.Equal("1", await GetValueAsync("a"));

        Clock.Advance(TimeSpan.FromSeconds(11));

        var e = Assert.Single(await watch.NextEventsAsync(1));
        Assert.Equal(WatchEventType.Delete, e.Type);
        Assert.Null(await GetAsync("a"));
    }

    [Fact]
    public async Task An_expired_lease_does_not_delete_a_key_that_was_detached_from_it()
    {
        var lease = await Store.LeaseGrantAsync(0, 10);
        await PutAsync("a", "1", lease.Id);
        await PutAsync("b", "1", lease.Id);
        await PutAsync("a", "2");
        await using var watch = Watch(new WatchRequest(B("a"), B("c")));

        Clock.Advance(TimeSpan.FromSeconds(11));

        var e = Assert.Single(await watch.NextEventsAsync(1));
        Assert.Equal("b", S(e.Kv.Key));
        Assert.Equal("2", await GetValueAsync("a"));
    }

    [Fact]
    public async Task Leases_expire_in_ttl_order()
    {
        var shortLease = await Store.LeaseGrantAsync(0, 10);
        var longLease = await Store.LeaseGrantAsync(0, 20);
        await PutAsync("p/short", "1", shortLease.Id);
        await PutAsync("p/long", "1", longLease.Id);
        await using var watch = WatchPrefix("p/");

        Clock.Advance(TimeSpan.FromSeconds(11));
        var first = Assert.Single(await watch.NextEventsAsync(1));
        Assert.Equal("1", await GetValueAsync("p/long"));
        Clock.Advance(TimeSpan.FromSeconds(10));
        var second = Assert.Single(await watch.NextEventsAsync(1));

        Assert.Equal(("p/short", "p/long"), (S(first.Kv.Key), S(second.Kv.Key)));
    }
}
