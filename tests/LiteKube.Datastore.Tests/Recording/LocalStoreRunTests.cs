using LiteKube.Datastore;
using LiteKube.Datastore.Mvcc;
using LiteKube.Datastore.Tests.Linearizability;
using Xunit.Abstractions;

namespace LiteKube.Datastore.Tests.Recording;

/// <summary>
/// Real concurrent load against LocalStore, in memory and on RocksDB: the history is
/// linearizable and every watcher saw every revision. A couple of seconds each; a longer run:
/// <c>LITEKUBE_CHECKER_SECONDS=120 LITEKUBE_CHECKER_OPS=200000 dotnet test tests/LiteKube.Datastore.Tests --filter FullyQualifiedName~LocalStoreRunTests</c>.
/// </summary>
public sealed class LocalStoreRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_in_memory_store_under_concurrent_load_is_linearizable_and_every_watcher_is_complete()
    {
        await using var store = LocalStore.CreateInMemory();

        await RunAndCheckAsync(store);
    }

    [Fact]
    public async Task The_rocksdb_store_under_concurrent_load_is_linearizable_and_every_watcher_is_complete()
    {
        var directory = Directory.CreateTempSubdirectory("litekube-checker-");
        try
        {
            await using var store = LocalStore.OpenRocksDb(Path.Combine(directory.FullName, "db"));
            await RunAndCheckAsync(store);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Writes_outside_the_prefix_by_another_writer_are_placed_by_the_model_and_break_it_without()
    {
        await using var store = LocalStore.CreateInMemory();
        using var stop = new CancellationTokenSource();
        // What a litekube server's node agent and API server do meanwhile, only faster.
        var other = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await store.PutAsync(new PutRequest(HistoryBuilder.B($"/registry/other/{i % 3}"), HistoryBuilder.B($"{i}")));
                await Task.Delay(1);
            }
        });
        var options = new LoadOptions { Clients = 4, MaxOperations = 600, Duration = TimeSpan.FromSeconds(60), OtherWriters = true };
        var run = await LoadGenerator.RunAsync([store], options);
        await stop.CancelAsync();
        await other;

        var report = RunCheck.Check(run);
        output.WriteLine(report.Text);
        Assert.True(report.Ok, report.Text);
        Assert.True(run.ForeignRevisions!.Count >= 3, $"only {run.ForeignRevisions.Count} foreign revisions");
        Assert.False(RunCheck.Check(run with { ForeignRevisions = null }).Ok, "the plain model accepted a history with other writers");
    }

    private async Task RunAndCheckAsync(IKeyValueStore store)
    {
        // Bounded by operations (the time bound only caps a very slow machine).
        var run = await LoadGenerator.RunAsync([store], new LoadOptions { Clients = 6, MaxOperations = 2000, Duration = TimeSpan.FromSeconds(60) }.FromEnvironment());

        var report = RunCheck.Check(run);

        output.WriteLine(report.Text);
        Assert.True(report.Ok, report.Text);
        AssertTheWorkloadCoveredTheModel(run);
    }

    /// <summary>A run that only ever read would pass trivially; this one must have exercised
    /// every kind of call and both txn branches.</summary>
    internal static void AssertTheWorkloadCoveredTheModel(LoadRun run)
    {
        var operations = run.History.Select(h => h.Operation).ToArray();
        var txns = operations.Where(o => o.Outcome is Returned { Result: TxnResult }).Select(o => (TxnResult)((Returned)o.Outcome).Result).ToArray();
        Assert.Contains(txns, t => t.Succeeded);
        Assert.Contains(txns, t => !t.Succeeded);
        Assert.Contains(operations, o => o.Request is LeaseRevokeCall && o.Outcome is Returned);
        Assert.Contains(operations, o => o.Request is PutCall { Request.Lease: > 0 } && o.Outcome is Returned);
        Assert.Contains(operations, o => o.Outcome is Failed { Error: DatastoreError.LeaseNotFound });
        Assert.Contains(operations, o => o.Request is DeleteCall && o.Outcome is Returned { Result: DeleteRangeResult { Deleted: > 0 } });
        Assert.True(run.FinalRevision - run.Initial.Revision > 100, $"only {run.FinalRevision - run.Initial.Revision} revisions written");
        Assert.All(run.Watches, w => Assert.NotEmpty(w.Batches));
    }
}
