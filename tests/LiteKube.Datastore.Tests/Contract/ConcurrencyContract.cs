using System.Collections.Concurrent;
using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>Concurrent callers: every acknowledged write has its own revision, and txns are atomic.</summary>
public abstract class ConcurrencyContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    [Fact]
    public async Task Concurrent_puts_and_txns_are_all_acknowledged_with_distinct_revisions()
    {
        var revisions = new ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                if (i % 2 == 0)
                {
                    revisions.Add((await PutAsync($"c/{w}/{i}", "v")).Revision);
                }
                else
                {
                    var txn = await Store.TxnAsync(new TxnRequest([],
                        [
                            new TxnPutOp(new PutRequest(B($"a/{w}/{i}"), B("v"))),
                            new TxnPutOp(new PutRequest(B($"b/{w}/{i}"), B("v"))),
                        ], []));
                    revisions.Add(txn.Revision);
                }
            }
        })));

        Assert.Equal(400, revisions.Count);
        Assert.Equal(Enumerable.Range(2, 400).Select(r => (long)r), revisions.Order());
        Assert.Equal(401, await CurrentRevisionAsync());
        Assert.Equal(200, (await ListAsync("c/")).Count);
        var a = await ListAsync("a/");
        var b = await ListAsync("b/");
        Assert.Equal(200, a.Count);
        Assert.Equal(a.Select(kv => kv.ModRevision), b.Select(kv => kv.ModRevision));
    }

    [Fact]
    public async Task A_counter_incremented_by_concurrent_compare_and_swap_txns_counts_every_success()
    {
        await PutAsync("counter", "0");
        var successes = 0;
        var failures = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var done = 0; done < 20;)
            {
                var current = (await GetAsync("counter"))!;
                var next = (long.Parse(S(current.Value)) + 1).ToString();
                var txn = await Store.TxnAsync(new TxnRequest(
                    [new Compare(B("counter"), CompareTarget.Mod, CompareResult.Equal) { Number = current.ModRevision }],
                    [new TxnPutOp(new PutRequest(B("counter"), B(next)))],
                    []));
                if (txn.Succeeded)
                {
                    Interlocked.Increment(ref successes);
                    done++;
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));

        var counter = (await GetAsync("counter"))!;
        Assert.Equal(160, successes);
        Assert.Equal("160", S(counter.Value));
        Assert.Equal(161, counter.Version);
        Assert.Equal(162, await CurrentRevisionAsync());
    }

    [Fact]
    public async Task Readers_running_beside_writers_never_see_half_of_a_txn()
    {
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await Store.TxnAsync(new TxnRequest([],
                    [
                        new TxnPutOp(new PutRequest(B("pair/a"), B(i.ToString()))),
                        new TxnPutOp(new PutRequest(B("pair/b"), B(i.ToString()))),
                    ], []));
            }
        });
        var reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!writer.IsCompleted)
            {
                var kvs = await ListAsync("pair/");
                if (kvs.Count > 0)
                {
                    Assert.Equal(2, kvs.Count);
                    Assert.Equal(S(kvs[0].Value), S(kvs[1].Value));
                    Assert.Equal(kvs[0].ModRevision, kvs[1].ModRevision);
                }
                reads++;
            }
        });

        await Task.WhenAll(writer, reader);

        Assert.True(reads > 0);
        Assert.Equal("199", await GetValueAsync("pair/b"));
    }
}
