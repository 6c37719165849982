using Grpc.Core;
using static LiteKube.Datastore.Tests.EtcdApi.Protos;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.Tests.EtcdApi;

public sealed class LeaseServiceTests : IAsyncLifetime
{
    private EtcdApiServer server = null!;

    public async Task InitializeAsync() => server = await EtcdApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_granted_lease_is_listed_and_reports_its_ttl_and_keys()
    {
        var lease = await server.Lease.LeaseGrantAsync(new EtcdPb.LeaseGrantRequest { TTL = 60 });
        await server.Kv.PutAsync(Put("/leased", "v", lease.ID));

        var ttl = await server.Lease.LeaseTimeToLiveAsync(new EtcdPb.LeaseTimeToLiveRequest { ID = lease.ID, Keys = true });
        var leases = await server.Lease.LeaseLeasesAsync(new EtcdPb.LeaseLeasesRequest());

        Assert.NotEqual(0, lease.ID);
        Assert.Equal(60, lease.TTL);
        Assert.Equal(lease.ID, ttl.ID);
        Assert.Equal(60, ttl.GrantedTTL);
        Assert.InRange(ttl.TTL, 1, 60);
        Assert.Equal(["/leased"], ttl.Keys.Select(Text));
        Assert.Contains(leases.Leases, l => l.ID == lease.ID);
    }

    [Fact]
    public async Task A_lease_granted_with_an_id_keeps_it_and_granting_it_again_is_refused()
    {
        var lease = await server.Lease.LeaseGrantAsync(new EtcdPb.LeaseGrantRequest { ID = 4242, TTL = 30 });

        var again = await Assert.ThrowsAsync<RpcException>(() =>
            server.Lease.LeaseGrantAsync(new EtcdPb.LeaseGrantRequest { ID = 4242, TTL = 30 }).ResponseAsync);

        Assert.Equal(4242, lease.ID);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Equal("etcdserver: lease already exists", again.Status.Detail);
    }

    [Fact]
    public async Task A_lease_ttl_beyond_etcds_maximum_is_refused_as_out_of_range()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Lease.LeaseGrantAsync(new EtcdPb.LeaseGrantRequest { TTL = 9_000_000_001 }).ResponseAsync);

        Assert.Equal(StatusCode.OutOfRange, error.StatusCode);
        Assert.Equal("etcdserver: too large lease TTL", error.Status.Detail);
    }

    [Fact]
    public async Task Revoking_a_lease_deletes_its_keys_and_then_it_has_a_ttl_of_minus_one()
    {
        var lease = await server.Lease.LeaseGrantAsync(new EtcdPb.LeaseGrantRequest { TTL = 60 });
        await server.Kv.PutAsync(Put("/leased", "v", lease.ID));

        var revoke = await server.Lease.LeaseRevokeAsync(new EtcdPb.LeaseRevokeRequest { ID = lease.ID });
        var ttl = await server.Lease.LeaseTimeToLiveAsync(new EtcdPb.LeaseTimeToLiveRequest { ID = lease.ID });

        Assert.Empty((await server.Kv.RangeAsync(Get("/leased"))).Kvs);
        Assert.Equal(-1, ttl.TTL);
        Assert.Equal(lease.ID, ttl.ID);
        Assert.True(revoke.Header.Revision > lease.Header.Revision);
    }

    [Fact]
    public async Task Revoking_an_unknown_lease_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Lease.LeaseRevokeAsync(new EtcdPb.LeaseRevokeRequest { ID = 999 }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("etcdserver: requested lease not found", error.Status.Detail);
    }

    [Fact]
    public async Task Keep_alive_stream_answers_every_request_and_an_unknown_lease_with_ttl_zero()
    {
        var lease = await server.Lease.LeaseGrantAsync(new EtcdPb.LeaseGrantRequest { TTL = 60 });
        using var call = server.Lease.LeaseKeepAlive();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var responses = new List<EtcdPb.LeaseKeepAliveResponse>();
        foreach (var id in new[] { lease.ID, 12345, lease.ID })
        {
            await call.RequestStream.WriteAsync(new EtcdPb.LeaseKeepAliveRequest { ID = id });
            Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
            responses.Add(call.ResponseStream.Current);
        }

        Assert.Equal([(lease.ID, 60L), (12345L, 0L), (lease.ID, 60L)], responses.Select(r => (r.ID, r.TTL)));
        Assert.All(responses, r => Assert.Equal(EtcdApiServer.Member.ClusterId, r.Header.ClusterId));
    }
}
