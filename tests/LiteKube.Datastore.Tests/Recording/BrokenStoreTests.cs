using LiteKube.Datastore.Mvcc;
using LiteKube.Datastore.Tests.Linearizability;
using Xunit.Abstractions;

namespace LiteKube.Datastore.Tests.Recording;

/// <summary>The same load and checks as <see cref="LocalStoreRunTests"/>, over a real store with a
/// deliberate bug in front: each bug must be reported.</summary>
public sealed class BrokenStoreTests(ITestOutputHelper output)
{
    // Bounded by operations, not time: a loaded machine must not shrink the run below what it takes.
    private static readonly LoadOptions Short = new() { Duration = TimeSpan.FromSeconds(30), MaxOperations = 800 };

    [Fact]
    public async Task A_store_serving_stale_reads_is_reported_not_linearizable()
    {
        var report = await RunAsync(inner => new StaleReadStore(inner));

        Assert.Equal(CheckVerdict.Violation, report.Verdict);
        Assert.Contains("longest linearizable prefix", report.Text);

        // The evidence for the next look: the watchers' account of the revisions there, and the file.
        Assert.Matches(@"what watcher \S+ saw at revisions \d+\.\.\d+:\n    rev \d+: (put|delete) ", report.Text.ReplaceLineEndings("\n"));
        var path = System.Text.RegularExpressions.Regex.Match(report.Text, "the whole history and watch record: (.+)$", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value.Trim();
        var dump = await File.ReadAllLinesAsync(path);
        Assert.Contains(dump, l => l.StartsWith("#0 c", StringComparison.Ordinal));
        Assert.Contains(dump, l => l.StartsWith("# watcher ", StringComparison.Ordinal));
        File.Delete(path);
    }

    [Fact]
    public async Task A_store_dropping_acknowledged_writes_is_reported_not_linearizable()
    {
        var report = await RunAsync(inner => new DroppedWriteStore(inner));

        Assert.Equal(CheckVerdict.Violation, report.Verdict);
    }

    [Fact]
    public async Task A_store_delivering_watch_events_out_of_order_is_reported()
    {
        var report = await RunAsync(inner => new BrokenWatchStore(inner, WatchFault.Reorder));

        Assert.Equal(CheckVerdict.Linearizable, report.Verdict);
        Assert.Contains(report.WatchProblems, p => p.Contains("out of order or duplicate"));
    }

    [Fact]
    public async Task A_store_skipping_a_watch_event_is_reported_as_a_gap()
    {
        var report = await RunAsync(inner => new BrokenWatchStore(inner, WatchFault.SkipEvent));

        Assert.Equal(CheckVerdict.Linearizable, report.Verdict);
        Assert.Contains(report.WatchProblems, p => p.Contains("gap: never saw"));
    }

    private async Task<RunReport> RunAsync(Func<IKeyValueStore, IKeyValueStore> breakIt)
    {
        await using var store = LocalStore.CreateInMemory();
        var run = await LoadGenerator.RunAsync([breakIt(store)], Short with { SettleTimeout = TimeSpan.FromSeconds(3) });
        var report = RunCheck.Check(run);
        output.WriteLine(report.Text);
        Assert.False(report.Ok, "the checks accepted a broken store:\n" + report.Text);
        return report;
    }
}
