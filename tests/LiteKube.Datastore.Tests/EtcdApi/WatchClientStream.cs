using Grpc.Core;
using static LiteKube.Datastore.Tests.EtcdApi.Protos;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.Tests.EtcdApi;

/// <summary>One Watch RPC from the client side, with a deadline on every read so a missing
/// response fails the test instead of hanging it.</summary>
internal sealed class WatchClientStream(AsyncDuplexStreamingCall<EtcdPb.WatchRequest, EtcdPb.WatchResponse> call) : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    public static WatchClientStream Open(EtcdApiServer server) => new(server.Watch.Watch());

    public Task CreateAsync(string key, string? rangeEnd = null, long startRevision = 0, long watchId = 0,
        bool prevKv = false, params EtcdPb.WatchCreateRequest.Types.FilterType[] filters)
    {
        var create = new EtcdPb.WatchCreateRequest { Key = Bytes(key), StartRevision = startRevision, WatchId = watchId, PrevKv = prevKv };
        if (rangeEnd is not null)
        {
            create.RangeEnd = Bytes(rangeEnd);
        }

        create.Filters.AddRange(filters);
        return SendAsync(new EtcdPb.WatchRequest { CreateRequest = create });
    }

    public Task CreatePrefixAsync(string prefix, long startRevision = 0) =>
        SendAsync(new EtcdPb.WatchRequest
        {
            CreateRequest = new EtcdPb.WatchCreateRequest { Key = Bytes(prefix), RangeEnd = PrefixEnd(prefix), StartRevision = startRevision },
        });

    public Task CancelAsync(long watchId) =>
        SendAsync(new EtcdPb.WatchRequest { CancelRequest = new EtcdPb.WatchCancelRequest { WatchId = watchId } });

    public Task RequestProgressAsync() =>
        SendAsync(new EtcdPb.WatchRequest { ProgressRequest = new EtcdPb.WatchProgressRequest() });

    public Task SendAsync(EtcdPb.WatchRequest request) => call.RequestStream.WriteAsync(request);

    public async Task<EtcdPb.WatchResponse> NextAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token), "the watch stream ended");
        return call.ResponseStream.Current;
    }

    public void Dispose() => call.Dispose();
}
