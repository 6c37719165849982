using Grpc.Core;
using Microsoft.Extensions.Logging;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>etcd's Watch service: each call is one <see cref="WatchStream"/>.</summary>
internal sealed class WatchService(
    IKeyValueStore store, IDatastoreMaintenance maintenance, ResponseHeaderFactory headers, ILogger<WatchService> logger)
    : EtcdPb.Watch.WatchBase
{
    public override Task Watch(
        IAsyncStreamReader<EtcdPb.WatchRequest> requestStream,
        IServerStreamWriter<EtcdPb.WatchResponse> responseStream,
        ServerCallContext context) =>
        new WatchStream(store, maintenance, headers, logger).RunAsync(requestStream, responseStream, context.CancellationToken);
}
