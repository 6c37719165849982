using static LiteKube.Datastore.Tests.EtcdApi.Protos;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;
using MvccPb = LiteKube.Datastore.Protos.Mvccpb;

namespace LiteKube.Datastore.Tests.EtcdApi;

public sealed class WatchServiceTests : IAsyncLifetime
{
    private EtcdApiServer server = null!;

    public async Task InitializeAsync() => server = await EtcdApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_watch_is_answered_created_first_then_with_later_puts_and_deletes()
    {
        var before = await server.Kv.PutAsync(Put("/other", "x"));
        using var stream = WatchClientStream.Open(server);

        await stream.CreateAsync("/a");
        var created = await stream.NextAsync();
        var put = await server.Kv.PutAsync(Put("/a", "1"));
        await server.Kv.DeleteRangeAsync(new EtcdPb.DeleteRangeRequest { Key = Bytes("/a") });
        var putEvent = await stream.NextAsync();
        var deleteEvent = await stream.NextAsync();

        Assert.True(created.Created);
        Assert.Equal(0, created.WatchId);
        Assert.Equal(before.Header.Revision, created.Header.Revision);
        Assert.Equal(EtcdApiServer.Member.MemberId, created.Header.MemberId);
        var e = Assert.Single(putEvent.Events);
        Assert.Equal(MvccPb.Event.Types.EventType.Put, e.Type);
        Assert.Equal(put.Header.Revision, e.Kv.ModRevision);
        Assert.Equal("1", Text(e.Kv.Value));
        Assert.Equal(MvccPb.Event.Types.EventType.Delete, Assert.Single(deleteEvent.Events).Type);
        Assert.Equal(put.Header.Revision + 1, deleteEvent.Events[0].Kv.ModRevision);
    }

    [Fact]
    public async Task Two_watches_share_one_stream_with_server_assigned_ids_from_zero()
    {
        using var stream = WatchClientStream.Open(server);

        await stream.CreateAsync("/a");
        await stream.CreateAsync("/b");
        var first = await stream.NextAsync();
        var second = await stream.NextAsync();
        await server.Kv.PutAsync(Put("/b", "for b"));
        await server.Kv.PutAsync(Put("/a", "for a"));
        var eventForB = await stream.NextAsync();
        var eventForA = await stream.NextAsync();

        Assert.Equal((0L, 1L), (first.WatchId, second.WatchId));
        Assert.Equal((1L, "for b"), (eventForB.WatchId, Text(eventForB.Events[0].Kv.Value)));
        Assert.Equal((0L, "for a"), (eventForA.WatchId, Text(eventForA.Events[0].Kv.Value)));
    }

    [Fact]
    public async Task A_client_chosen_watch_id_is_used_and_reusing_it_is_refused_on_that_watch_only()
    {
        using var stream = WatchClientStream.Open(server);

        await stream.CreateAsync("/a", watchId: 7);
        var created = await stream.NextAsync();
        await stream.CreateAsync("/b", watchId: 7);
        var refused = await stream.NextAsync();
        await server.Kv.PutAsync(Put("/a", "still watched"));
        var e = await stream.NextAsync();

        Assert.Equal((7L, true, false), (created.WatchId, created.Created, created.Canceled));
        Assert.Equal((7L, true, true), (refused.WatchId, refused.Created, refused.Canceled));
        Assert.Contains("duplicate watch ID", refused.CancelReason);
        Assert.Equal(7, e.WatchId);
    }

    [Fact]
    public async Task A_canceled_watch_is_answered_canceled_and_sends_nothing_more()
    {
        using var stream = WatchClientStream.Open(server);
        await stream.CreateAsync("/a");
        await stream.CreateAsync("/b");
        await stream.NextAsync();
        await stream.NextAsync();

        await stream.CancelAsync(0);
        var canceled = await stream.NextAsync();
        await server.Kv.PutAsync(Put("/a", "nobody listens"));
        await server.Kv.PutAsync(Put("/b", "heard"));
        var next = await stream.NextAsync();

        Assert.Equal((0L, true), (canceled.WatchId, canceled.Canceled));
        Assert.Equal(1, next.WatchId);
        Assert.Equal("heard", Text(next.Events[0].Kv.Value));
    }

    [Fact]
    public async Task A_progress_request_is_answered_after_the_events_it_covers()
    {
        using var stream = WatchClientStream.Open(server);
        await stream.CreateAsync("/a");
        await stream.CreateAsync("/b");
        await stream.NextAsync();
        await stream.NextAsync();
        await server.Kv.PutAsync(Put("/a", "1"));
        var last = await server.Kv.PutAsync(Put("/b", "2"));

        await stream.RequestProgressAsync();
        var responses = new List<EtcdPb.WatchResponse> { await stream.NextAsync(), await stream.NextAsync(), await stream.NextAsync() };

        var progress = responses[^1];
        Assert.All(responses.Take(2), r => Assert.Single(r.Events));
        Assert.Equal(-1, progress.WatchId);
        Assert.Empty(progress.Events);
        Assert.False(progress.Canceled);
        Assert.True(progress.Header.Revision >= last.Header.Revision);
    }

    [Fact]
    public async Task A_progress_request_on_a_stream_without_watches_reports_the_current_revision()
    {
        var put = await server.Kv.PutAsync(Put("/a", "1"));
        using var stream = WatchClientStream.Open(server);

        await stream.RequestProgressAsync();
        var progress = await stream.NextAsync();

        Assert.Equal((-1L, put.Header.Revision), (progress.WatchId, progress.Header.Revision));
    }

    [Fact]
    public async Task A_watch_from_an_old_revision_replays_history_in_order()
    {
        var first = await server.Kv.PutAsync(Put("/p/a", "1"));
        await server.Kv.PutAsync(Put("/p/b", "2"));
        await server.Kv.PutAsync(Put("/p/a", "3"));
        using var stream = WatchClientStream.Open(server);

        await stream.CreatePrefixAsync("/p/", startRevision: first.Header.Revision);
        await stream.NextAsync();
        var values = new List<string>();
        while (values.Count < 3)
        {
            values.AddRange((await stream.NextAsync()).Events.Select(e => Text(e.Kv.Value)));
        }

        Assert.Equal(["1", "2", "3"], values);
    }

    [Fact]
    public async Task A_watch_from_a_compacted_revision_is_created_then_canceled_with_the_compact_revision()
    {
        var first = await server.Kv.PutAsync(Put("/a", "1"));
        var second = await server.Kv.PutAsync(Put("/a", "2"));
        await server.Kv.CompactAsync(new EtcdPb.CompactionRequest { Revision = second.Header.Revision });
        using var stream = WatchClientStream.Open(server);

        await stream.CreateAsync("/a", startRevision: first.Header.Revision);
        var created = await stream.NextAsync();
        var canceled = await stream.NextAsync();

        Assert.True(created.Created);
        Assert.True(canceled.Canceled);
        Assert.Equal(second.Header.Revision, canceled.CompactRevision);
        Assert.Equal(created.WatchId, canceled.WatchId);
    }

    [Fact]
    public async Task Filters_leave_out_puts_and_prev_kv_adds_the_value_before()
    {
        await server.Kv.PutAsync(Put("/a", "before"));
        using var stream = WatchClientStream.Open(server);

        await stream.CreateAsync("/a", prevKv: true, filters: EtcdPb.WatchCreateRequest.Types.FilterType.Noput);
        await stream.NextAsync();
        await server.Kv.PutAsync(Put("/a", "filtered out"));
        await server.Kv.DeleteRangeAsync(new EtcdPb.DeleteRangeRequest { Key = Bytes("/a") });
        var response = await stream.NextAsync();

        var e = Assert.Single(response.Events);
        Assert.Equal(MvccPb.Event.Types.EventType.Delete, e.Type);
        Assert.Equal("filtered out", Text(e.PrevKv.Value));
    }

    [Fact]
    public async Task The_events_of_one_txn_arrive_in_one_response()
    {
        using var stream = WatchClientStream.Open(server);
        await stream.CreatePrefixAsync("/p/");
        await stream.NextAsync();

        await server.Kv.TxnAsync(new EtcdPb.TxnRequest { Success = { Op(Put("/p/a", "1")), Op(Put("/p/b", "2")) } });
        var response = await stream.NextAsync();

        Assert.Equal(["/p/a", "/p/b"], response.Events.Select(e => Text(e.Kv.Key)));
    }

    [Fact]
    public async Task A_watch_on_an_empty_key_is_refused_on_that_watch_only()
    {
        using var stream = WatchClientStream.Open(server);

        await stream.SendAsync(new EtcdPb.WatchRequest { CreateRequest = new EtcdPb.WatchCreateRequest() });
        var refused = await stream.NextAsync();
        await stream.CreateAsync("/a");
        var created = await stream.NextAsync();

        Assert.True(refused.Created && refused.Canceled);
        Assert.Equal("etcdserver: key is not provided", refused.CancelReason);
        Assert.True(created.Created && !created.Canceled);
    }

    [Fact]
    public async Task A_watch_with_an_unknown_filter_is_refused_naming_it()
    {
        using var stream = WatchClientStream.Open(server);

        await stream.CreateAsync("/a", filters: (EtcdPb.WatchCreateRequest.Types.FilterType)5);
        var refused = await stream.NextAsync();

        Assert.True(refused.Created && refused.Canceled);
        Assert.Equal("litekube: watch filter 5 is not supported", refused.CancelReason);
    }
}
