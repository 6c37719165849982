using System.Globalization;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Watching;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Selectors;
using LiteKube.Datastore.Mvcc;

namespace LiteKube.ApiServer.Tests.Watching;

/// <summary>The watch cache over a real (in-memory) datastore: replay from a resourceVersion,
/// selector transitions, and 410 once the count or byte bound dropped the asked-for history.</summary>
public sealed class WatchCacheTests : IAsyncLifetime
{
    private static readonly ResourceDefinition ConfigMaps = ResourceCatalog.BuiltIn().Find("", "v1", "configmaps")!;
    private static readonly WatchFilter Everything = new("", LabelSelector.Everything, FieldSelector.Everything);

    private readonly LocalStore _store = LocalStore.CreateInMemory();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private ObjectStore _objects = null!;

    public Task InitializeAsync()
    {
        _objects = new ObjectStore(_store, TimeProvider.System);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var run in _running)
        {
            await run.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await _store.DisposeAsync();
        _stop.Dispose();
    }

    private async Task<WatchCache> StartAsync(WatchCacheLimits? limits = null)
    {
        var cache = new WatchCache(ConfigMaps, _store, limits);
        _running.Add(cache.RunAsync(_stop.Token));
        await cache.Started.WaitAsync(TimeSpan.FromSeconds(10));
        return cache;
    }

    private async Task<long> CreateAsync(string name, string app = "web", int dataBytes = 1)
    {
        var obj = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = app } },
            ["data"] = new JsonObject { ["k"] = new string('x', dataBytes) },
        };
        return Revision(await _objects.CreateAsync(ConfigMaps, "ns", obj, CancellationToken.None));
    }

    private async Task<long> RelabelAsync(string name, string app) =>
        Revision(await _objects.UpdateAsync(ConfigMaps, "ns", name, o =>
        {
            ObjectStore.Metadata(o)["labels"] = new JsonObject { ["app"] = app };
            return o;
        }, CancellationToken.None));

    private async Task<long> DeleteAsync(string name)
    {
        var stored = await _objects.GetStoredAsync(ConfigMaps, "ns", name, CancellationToken.None);
        Assert.True(await _objects.RemoveAsync(ConfigMaps, "ns", name, stored!.Revision, CancellationToken.None));
        return (await _objects.ListAsync(ConfigMaps, "ns", null, 0, 0, CancellationToken.None)).Revision;
    }

    private static long Revision(JsonObject obj) =>
        long.Parse(ObjectStore.Metadata(obj)["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static async Task CaughtUpAsync(WatchCache cache, long revision)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (cache.Revision < revision)
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    private static async Task<List<(WatchEventKind Kind, CachedEvent Event)>> ReadAsync(CacheWatcher watcher, int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<(WatchEventKind, CachedEvent)>();
        while (events.Count < count)
        {
            events.Add(await watcher.Events.ReadAsync(deadline.Token));
        }

        return events;
    }

    private static string Rv(CachedEvent e) => ObjectStore.Metadata(e.ToObject())["resourceVersion"]!.GetValue<string>();

    [Fact]
    public async Task A_watch_from_a_revision_replays_each_later_change_as_the_json_a_client_receives()
    {
        var cache = await StartAsync();
        var created = await CreateAsync("a");
        var updated = await RelabelAsync("a", "db");
        var deleted = await DeleteAsync("a");
        await CaughtUpAsync(cache, deleted);

        var watcher = cache.Watch(Everything, created);
        var events = await ReadAsync(watcher, 2);

        Assert.Equal([(WatchEventKind.Modified, updated), (WatchEventKind.Deleted, deleted)], events.Select(e => (e.Kind, e.Event.Revision)));
        var modified = events[0].Event.ToObject();
        Assert.Equal("v1", modified["apiVersion"]!.GetValue<string>());
        Assert.Equal("ConfigMap", modified["kind"]!.GetValue<string>());
        Assert.Equal(updated.ToString(CultureInfo.InvariantCulture), Rv(events[0].Event));
        Assert.Equal("db", modified["metadata"]!["labels"]!["app"]!.GetValue<string>());
        // A delete carries the object's last state at the delete's revision.
        Assert.Equal(deleted.ToString(CultureInfo.InvariantCulture), Rv(events[1].Event));
        Assert.Equal("a", events[1].Event.ToObject()["metadata"]!["name"]!.GetValue<string>());
        cache.Stop(watcher);
    }

    [Fact]
    public async Task Changes_into_and_out_of_a_label_selector_become_added_and_deleted()
    {
        var cache = await StartAsync();
        var web = cache.Watch(new WatchFilter("ns", LabelSelector.Parse("app=web"), FieldSelector.Everything), cache.Revision);
        await CreateAsync("a", app: "db");
        var into = await RelabelAsync("a", "web");
        var outOf = await RelabelAsync("a", "db");
        await DeleteAsync("a");
        var marker = await CreateAsync("marker", app: "web");

        var events = await ReadAsync(web, 3);

        Assert.Equal([(WatchEventKind.Added, into), (WatchEventKind.Deleted, outOf), (WatchEventKind.Added, marker)], events.Select(e => (e.Kind, e.Event.Revision)));
        cache.Stop(web);
    }

    [Fact]
    public async Task A_watch_from_before_the_oldest_kept_change_is_too_old_once_the_count_bound_dropped_it()
    {
        var cache = await StartAsync(new WatchCacheLimits(Events: 3, Bytes: long.MaxValue));
        var revisions = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            revisions.Add(await CreateAsync($"c{i}"));
        }

        await CaughtUpAsync(cache, revisions[^1]);

        var tooOld = Assert.Throws<ResourceVersionTooOldException>(() => cache.Watch(Everything, revisions[0]));
        Assert.Contains($"too old resource version: {revisions[0]}", tooOld.Message);
        var watcher = cache.Watch(Everything, revisions[1]);
        Assert.Equal(revisions[2..], (await ReadAsync(watcher, 3)).Select(e => e.Event.Revision));
        cache.Stop(watcher);
    }

    [Fact]
    public async Task The_byte_bound_drops_history_of_large_objects_but_always_keeps_the_newest_change()
    {
        var cache = await StartAsync(new WatchCacheLimits(Events: 1_000, Bytes: 3 * 1024));
        var revisions = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            revisions.Add(await CreateAsync($"big{i}", dataBytes: 1_000));
        }

        await CaughtUpAsync(cache, revisions[^1]);

        // Each event is over 1,000 bytes of JSON: at most two fit in 3 KiB.
        Assert.Throws<ResourceVersionTooOldException>(() => cache.Watch(Everything, revisions[2]));
        var recent = cache.Watch(Everything, revisions[4]);
        Assert.Equal([revisions[5]], (await ReadAsync(recent, 1)).Select(e => e.Event.Revision));
        cache.Stop(recent);

        var huge = await CreateAsync("huge", dataBytes: 10_000);
        await CaughtUpAsync(cache, huge);
        var newest = cache.Watch(Everything, huge - 1);
        var only = Assert.Single(await ReadAsync(newest, 1));
        Assert.Equal(huge, only.Event.Revision);
        Assert.Throws<ResourceVersionTooOldException>(() => cache.Watch(Everything, revisions[4]));
        cache.Stop(newest);
    }

    [Fact]
    public async Task Each_reader_parses_its_own_copy_and_cannot_change_what_other_watchers_receive()
    {
        var cache = await StartAsync();
        var before = cache.Revision;
        var created = await CreateAsync("a");
        await CaughtUpAsync(cache, created);
        var first = cache.Watch(Everything, before);
        var (_, e) = Assert.Single(await ReadAsync(first, 1));

        var copy = e.ToObject();
        copy["data"] = new JsonObject { ["k"] = "changed" };

        var second = cache.Watch(Everything, before);
        var (_, again) = Assert.Single(await ReadAsync(second, 1));
        Assert.Same(e, again);
        Assert.Equal("x", again.ToObject()["data"]!["k"]!.GetValue<string>());
        cache.Stop(first);
        cache.Stop(second);
    }
}
