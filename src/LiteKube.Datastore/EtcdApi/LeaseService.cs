using Grpc.Core;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>etcd's Lease service over <see cref="IKeyValueStore"/>.</summary>
internal sealed class LeaseService(IKeyValueStore store, ResponseHeaderFactory headers) : EtcdPb.Lease.LeaseBase
{
    public override async Task<EtcdPb.LeaseGrantResponse> LeaseGrant(EtcdPb.LeaseGrantRequest request, ServerCallContext context)
    {
        var result = await store.LeaseGrantAsync(request.ID, request.TTL, context.CancellationToken).ConfigureAwait(false);
        return new EtcdPb.LeaseGrantResponse { Header = headers.Create(result.Revision), ID = result.Id, TTL = result.Ttl };
    }

    public override async Task<EtcdPb.LeaseRevokeResponse> LeaseRevoke(EtcdPb.LeaseRevokeRequest request, ServerCallContext context)
    {
        var revision = await store.LeaseRevokeAsync(request.ID, context.CancellationToken).ConfigureAwait(false);
        return new EtcdPb.LeaseRevokeResponse { Header = headers.Create(revision) };
    }

    /// <summary>One response per request, in order. As etcd, an unknown or expired lease is
    /// answered with TTL 0 rather than ending the stream, which other leases may share.</summary>
    public override async Task LeaseKeepAlive(
        IAsyncStreamReader<EtcdPb.LeaseKeepAliveRequest> requestStream,
        IServerStreamWriter<EtcdPb.LeaseKeepAliveResponse> responseStream,
        ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        while (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var id = requestStream.Current.ID;
            EtcdPb.LeaseKeepAliveResponse response;
            try
            {
                var result = await store.LeaseKeepAliveAsync(id, cancellationToken).ConfigureAwait(false);
                response = new EtcdPb.LeaseKeepAliveResponse { Header = headers.Create(result.Revision), ID = result.Id, TTL = result.Ttl };
            }
            catch (DatastoreException exception) when (exception.Error == DatastoreError.LeaseNotFound)
            {
                response = new EtcdPb.LeaseKeepAliveResponse { Header = headers.CreateCurrent(), ID = id, TTL = 0 };
            }

            await responseStream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>As etcd, a lease that does not exist is a TTL of -1, not an error.</summary>
    public override async Task<EtcdPb.LeaseTimeToLiveResponse> LeaseTimeToLive(EtcdPb.LeaseTimeToLiveRequest request, ServerCallContext context)
    {
        var result = await store.LeaseTimeToLiveAsync(request.ID, request.Keys, context.CancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return new EtcdPb.LeaseTimeToLiveResponse { Header = headers.CreateCurrent(), ID = request.ID, TTL = -1 };
        }

        var response = new EtcdPb.LeaseTimeToLiveResponse
        {
            Header = headers.Create(result.Revision),
            ID = result.Id,
            TTL = result.Ttl,
            GrantedTTL = result.GrantedTtl,
        };
        foreach (var key in result.Keys)
        {
            response.Keys.Add(ByteStrings.Wrap(key));
        }

        return response;
    }

    public override async Task<EtcdPb.LeaseLeasesResponse> LeaseLeases(EtcdPb.LeaseLeasesRequest request, ServerCallContext context)
    {
        var result = await store.LeaseListAsync(context.CancellationToken).ConfigureAwait(false);
        var response = new EtcdPb.LeaseLeasesResponse { Header = headers.Create(result.Revision) };
        foreach (var id in result.Ids)
        {
            response.Leases.Add(new EtcdPb.LeaseStatus { ID = id });
        }

        return response;
    }
}
