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
            for (var i = 0; i < 100; i++)
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
        Assert.Equal("99", await GetValueAsync("pair/b"));
    }

    [Fact]
    public async Task Reads_at_the_compact_revision_see_every_key_while_compaction_runs()
    {
        for (var i = 0; i < 1000; i++)
        {
            await PutAsync($"k/{i % 10}", i.ToString());
        }
        var compactAt = await CurrentRevisionAsync() - 5;

        var compaction = Store.CompactAsync(compactAt);
        for (var i = 0; i < 50; i++)
        {
            var kvs = await ListAsync("k/", revision: compactAt);
            Assert.Equal(10, kvs.Count);
        }
        await compaction;

        var atCompact = await ListAsync("k/", revision: compactAt);
        Assert.Equal(10, atCompact.Count);
        Assert.All(atCompact, kv => Assert.True(kv.ModRevision <= compactAt && kv.ModRevision > compactAt - 10));
        // Key i % 10 was written at revision i + 2, so its version at revision r is (r - 2) / 10 + 1.
        Assert.All(atCompact, kv => Assert.Equal((kv.ModRevision - 2) / 10 + 1, kv.Version));
        Assert.All(atCompact, kv => Assert.Equal((kv.ModRevision - 2).ToString(), S(kv.Value)));
    }

    [Fact]
    public async Task A_lagging_watch_overtaken_by_compaction_never_skips_an_event()
    {
        for (var i = 0; i < 300; i++)
        {
            await PutAsync($"k/{i % 10}", i.ToString());
        }
        await using var watch = WatchPrefix("k/", startRevision: 2);

        await Store.CompactAsync(await CurrentRevisionAsync());

        // etcd either delivers every event or cancels the watch with the compact revision.
        var expected = 2L;
        while (expected <= 301)
        {
            var batch = await watch.NextBatchAsync($"the event at revision {expected}");
            if (batch.Canceled)
            {
                Assert.True(batch.CompactRevision > expected, $"canceled at {expected} with compact revision {batch.CompactRevision}");
                return;
            }
            foreach (var e in batch.Events)
            {
                Assert.Equal(expected++, e.Kv.ModRevision);
            }
        }
    }

    [Fact]
    public async Task A_put_racing_a_revoke_never_leaves_a_key_on_a_dead_lease()
    {
        for (var i = 0; i < 40; i++)
        {
            var lease = await Store.LeaseGrantAsync(0, 60);
            var put = Task.Run(() => PutAsync($"race/{i}", "v", lease.Id));
            var revoke = Task.Run(() => Store.LeaseRevokeAsync(lease.Id));

            await revoke;
            try
            {
                await put;
            }
            catch (DatastoreException e) when (e.Error == DatastoreError.LeaseNotFound)
            {
            }

            Assert.Null(await GetAsync($"race/{i}"));
        }
    }
}
