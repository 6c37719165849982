using static LiteKube.Datastore.Tests.EtcdApi.Protos;

namespace LiteKube.Datastore.Tests.EtcdApi;

public sealed class WatchCleanupTests : IAsyncLifetime
{
    private WatchTrackingStore tracking = null!;
    private EtcdApiServer server = null!;

    public async Task InitializeAsync() =>
        server = await EtcdApiServer.StartAsync(wrap: store => tracking = new WatchTrackingStore(store));

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Every_store_watch_is_released_when_the_client_goes_away()
    {
        var stream = WatchClientStream.Open(server);
        await stream.CreateAsync("/a");
        await stream.CreateAsync("/b");
        await stream.NextAsync();
        await stream.NextAsync();
        var openWhileWatching = tracking.OpenWatches;

        stream.Dispose();

        Assert.Equal(2, openWhileWatching);
        await WaitUntilAsync(() => tracking.OpenWatches == 0);
    }

    [Fact]
    public async Task A_canceled_watch_releases_its_store_watch_at_once()
    {
        using var stream = WatchClientStream.Open(server);
        await stream.CreateAsync("/a");
        await stream.NextAsync();

        await stream.CancelAsync(0);
        await stream.NextAsync();

        Assert.Equal(0, tracking.OpenWatches);
    }

    [Fact]
    public async Task A_watch_canceled_by_compaction_releases_its_store_watch()
    {
        var first = await server.Kv.PutAsync(Put("/a", "1"));
        var second = await server.Kv.PutAsync(Put("/a", "2"));
        await server.Kv.CompactAsync(new LiteKube.Datastore.Protos.Etcdserverpb.CompactionRequest { Revision = second.Header.Revision });
        using var stream = WatchClientStream.Open(server);

        await stream.CreateAsync("/a", startRevision: first.Header.Revision);
        await stream.NextAsync();
        await stream.NextAsync();

        await WaitUntilAsync(() => tracking.OpenWatches == 0);
    }

    /// <summary>The server notices a vanished client asynchronously; give it a few seconds.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true within 10 s");
            await Task.Delay(20);
        }
    }
}
