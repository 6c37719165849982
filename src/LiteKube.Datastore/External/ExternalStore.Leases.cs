using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.External;

/// <summary>Leases: etcd keeps the clock, so TTLs count down in the cluster's real time.</summary>
public sealed partial class ExternalStore
{
    public async Task<LeaseGrantResult> LeaseGrantAsync(long id, long ttlSeconds, CancellationToken cancellationToken = default)
    {
        var message = new EtcdPb.LeaseGrantRequest { ID = id, TTL = ttlSeconds };
        var response = await CallAsync((channel, call) => Lease(channel).LeaseGrantAsync(message, call).ResponseAsync, write: true, cancellationToken);
        if (response.Error.Length > 0)
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, response.Error);
        }
        return Seen(new LeaseGrantResult(response.Header.Revision, response.ID, response.TTL), response.Header.Revision);
    }

    public async Task<long> LeaseRevokeAsync(long id, CancellationToken cancellationToken = default)
    {
        var message = new EtcdPb.LeaseRevokeRequest { ID = id };
        var response = await CallAsync((channel, call) => Lease(channel).LeaseRevokeAsync(message, call).ResponseAsync, write: true, cancellationToken);
        return Seen(response.Header.Revision, response.Header.Revision);
    }

    /// <summary>One request on etcd's keep-alive stream. A renewal that is lost can safely be
    /// sent again (it only resets the TTL), so it fails over like a read.</summary>
    public async Task<LeaseKeepAliveResult> LeaseKeepAliveAsync(long id, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(async (channel, call) =>
        {
            using var stream = Lease(channel).LeaseKeepAlive(call);
            await stream.RequestStream.WriteAsync(new EtcdPb.LeaseKeepAliveRequest { ID = id }, call.CancellationToken);
            await stream.RequestStream.CompleteAsync();
            if (!await stream.ResponseStream.MoveNext(call.CancellationToken))
            {
                throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable, "the keep-alive stream ended without an answer"));
            }
            return stream.ResponseStream.Current;
        }, write: false, cancellationToken);

        // etcd answers a keep-alive of an unknown or expired lease with TTL 0.
        if (response.TTL <= 0)
        {
            throw DatastoreException.LeaseNotFound();
        }
        return Seen(new LeaseKeepAliveResult(response.Header.Revision, response.ID, response.TTL), response.Header.Revision);
    }

    public async Task<LeaseTimeToLiveResult?> LeaseTimeToLiveAsync(long id, bool includeKeys, CancellationToken cancellationToken = default)
    {
        var message = new EtcdPb.LeaseTimeToLiveRequest { ID = id, Keys = includeKeys };
        try
        {
            var response = await CallAsync((channel, call) => Lease(channel).LeaseTimeToLiveAsync(message, call).ResponseAsync, write: false, cancellationToken);
            // etcd answers TTL -1 for a lease it does not know.
            if (response.TTL < 0)
            {
                return null;
            }
            return Seen(new LeaseTimeToLiveResult(response.Header.Revision, response.ID, response.TTL, response.GrantedTTL,
                response.Keys.Select(EtcdApi.ByteStrings.ToArray).ToArray()), response.Header.Revision);
        }
        catch (DatastoreException e) when (e.Error == DatastoreError.LeaseNotFound)
        {
            return null;
        }
    }

    public async Task<LeaseListResult> LeaseListAsync(CancellationToken cancellationToken = default)
    {
        var response = await CallAsync((channel, call) => Lease(channel).LeaseLeasesAsync(new EtcdPb.LeaseLeasesRequest(), call).ResponseAsync, write: false, cancellationToken);
        return Seen(new LeaseListResult(response.Header.Revision, response.Leases.Select(l => l.ID).ToArray()), response.Header.Revision);
    }
}
