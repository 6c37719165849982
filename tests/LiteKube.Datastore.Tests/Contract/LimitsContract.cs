using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>
/// etcd's default request limits (--max-txn-ops 128, --max-request-bytes 1.5 MiB), which the
/// API server relies on to refuse oversized objects, and what a closed store answers.
/// </summary>
public abstract class LimitsContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    private static TxnOp[] Puts(int count) =>
        Enumerable.Range(0, count).Select(i => (TxnOp)new TxnPutOp(new PutRequest(B($"k{i}"), B("v")))).ToArray();

    [Fact]
    public async Task A_txn_of_128_ops_is_accepted()
    {
        var result = await Store.TxnAsync(new TxnRequest([], Puts(128), []));

        Assert.Equal(2, result.Revision);
        Assert.Equal(128, (await ListAsync("k")).Count);
    }

    [Fact]
    public async Task A_txn_of_more_than_128_ops_or_compares_fails_with_TooManyOps()
    {
        var compares = Enumerable.Range(0, 129).Select(i => new Compare(B($"k{i}"), CompareTarget.Version, CompareResult.Equal)).ToArray();

        await AssertFailsAsync(DatastoreError.TooManyOps, () => Store.TxnAsync(new TxnRequest([], Puts(129), [])));
        await AssertFailsAsync(DatastoreError.TooManyOps, () => Store.TxnAsync(new TxnRequest([], [], Puts(129))));
        await AssertFailsAsync(DatastoreError.TooManyOps, () => Store.TxnAsync(new TxnRequest(compares, [], [])));

        Assert.Equal(1, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task A_put_of_one_MiB_is_accepted_and_one_of_two_MiB_fails_with_RequestTooLarge()
    {
        await Store.PutAsync(new PutRequest(B("ok"), new byte[1024 * 1024]));

        await AssertFailsAsync(DatastoreError.RequestTooLarge, () => Store.PutAsync(new PutRequest(B("big"), new byte[2 * 1024 * 1024])));

        Assert.Equal(["ok"], await ListKeysAsync(""));
    }

    [Fact]
    public async Task A_closed_store_refuses_every_call_with_Unavailable()
    {
        await PutAsync("a", "1");
        await Store.DisposeAsync();

        await AssertFailsAsync(DatastoreError.Unavailable, () => PutAsync("a", "2"));
        await AssertFailsAsync(DatastoreError.Unavailable, () => GetAsync("a"));
        await AssertFailsAsync(DatastoreError.Unavailable, () => DeleteAsync("a"));
        await AssertFailsAsync(DatastoreError.Unavailable, () => Store.TxnAsync(new TxnRequest([], [], [])));
        await AssertFailsAsync(DatastoreError.Unavailable, () => Store.LeaseGrantAsync(0, 60));
        await AssertFailsAsync(DatastoreError.Unavailable, () => Store.CompactAsync(2));
    }

    [Fact]
    public async Task Closing_the_store_ends_its_watches()
    {
        var watch = WatchPrefix("p/");
        await PutAsync("p/a", "1");
        await watch.NextEventsAsync(1);

        await Store.DisposeAsync();

        await watch.AssertEndsAsync();
        await watch.DisposeAsync();
    }
}
