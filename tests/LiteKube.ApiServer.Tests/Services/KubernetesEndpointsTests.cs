using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Services;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Tests.Infrastructure;
using LiteKube.ApiServer.Tests.Subresources;
using LiteKube.Datastore;
using LiteKube.Datastore.Mvcc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LiteKube.ApiServer.Tests.Services;

/// <summary>The kubernetes Service's endpoints list every live API server of one datastore
/// (upstream's lease reconciler), with the datastore's leases on an injected clock.</summary>
public sealed class KubernetesEndpointsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private LocalStore _store = null!;

    public Task InitializeAsync()
    {
        _store = LocalStore.CreateInMemory(new LocalStoreOptions { Time = _time });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Two_servers_over_one_datastore_are_both_listed_sorted_and_a_stopped_one_leaves_at_once()
    {
        await using var first = await InProcessApiServer.StartAsync(store: _store, time: _time);
        var second = await InProcessApiServer.StartAsync(store: _store, time: _time);
        using var client = first.CreateAdminClient();
        var both = KubernetesService.Sorted([IPAddress.Parse(first.Address), IPAddress.Parse(second.Address)]).Select(ip => ip.ToString()).ToList();

        // The second server's first pass, before it served, saw both leases.
        Assert.Equal(both, await EndpointsAsync(client));
        Assert.Equal(both, await SliceAsync(client));

        await second.DisposeAsync();

        Assert.Equal([first.Address], await EndpointsAsync(client));
        Assert.Equal([first.Address], await SliceAsync(client));
        Assert.Equal([IPAddress.Parse(first.Address)], await new ApiServerLeases(_store).ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_server_that_stops_renewing_leaves_when_its_lease_expires_and_the_live_one_stays()
    {
        await using var server = await InProcessApiServer.StartAsync(store: _store, time: _time);
        using var client = server.CreateAdminClient();
        // Another server's lease, renewed once and then never again: it crashed.
        var crashed = IPAddress.Parse("127.250.250.250");
        await new ApiServerLeases(_store).RenewAsync(crashed, CancellationToken.None);

        var listed = await EventuallyAsync(client, ips => ips.Count == 2);
        Assert.Equal(KubernetesService.Sorted([IPAddress.Parse(server.Address), crashed]).Select(ip => ip.ToString()), listed);

        var after = await EventuallyAsync(client, ips => ips.Count == 1);
        Assert.Equal([server.Address], after);
        Assert.True(_time.GetUtcNow() - _time.Start >= ApiServerLeases.Ttl);
    }

    [Fact]
    public async Task Reconciling_refuses_to_erase_every_endpoint_and_ignores_keys_that_are_not_addresses()
    {
        await using var server = await InProcessApiServer.StartAsync(store: _store, time: _time);
        var objects = server.Services.GetRequiredService<ObjectStore>();
        var catalog = server.Services.GetRequiredService<ResourceCatalog>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => KubernetesService.ReconcileEndpointsAsync(objects, catalog, [], 6443, CancellationToken.None));
        await _store.PutAsync(new PutRequest(System.Text.Encoding.UTF8.GetBytes(ApiServerLeases.Prefix + "not-an-ip"), [1]));

        Assert.Equal([IPAddress.Parse(server.Address)], await new ApiServerLeases(_store).ListAsync(CancellationToken.None));
        using var client = server.CreateAdminClient();
        Assert.Equal([server.Address], await EndpointsAsync(client));
    }

    [Fact]
    public async Task A_server_whose_create_loses_the_kubernetes_Service_IP_to_another_server_starting_at_once_carries_on()
    {
        await using var server = await InProcessApiServer.StartAsync(store: _store, time: _time);
        var catalog = server.Services.GetRequiredService<ResourceCatalog>();
        var network = server.Services.GetRequiredService<ServiceNetworkOptions>();
        var hooks = server.Services.GetServices<IStorageHook>().ToList();
        var services = catalog.Find("", "v1", "services")!;
        var other = new ObjectStore(_store, _time, hooks);
        var existing = await other.GetStoredAsync(services, KubernetesService.Namespace, KubernetesService.Name, CancellationToken.None);
        Assert.True(await other.RemoveAsync(services, KubernetesService.Namespace, KubernetesService.Name, existing!.Revision, CancellationToken.None));

        // This server looks the Service up and finds none; before it creates it, the other server
        // does, taking the IP: this server's create is then refused as Invalid (IP taken).
        var racing = new RaceAfterFirstRange(_store, "/registry/services/default/kubernetes",
            () => KubernetesService.EnsureAsync(other, catalog, network, 6443, CancellationToken.None));
        await KubernetesService.EnsureAsync(new ObjectStore(racing, _time, hooks), catalog, network, 6443, CancellationToken.None);

        Assert.True(racing.Raced);
        var stored = await other.GetStoredAsync(services, KubernetesService.Namespace, KubernetesService.Name, CancellationToken.None);
        Assert.Equal(network.KubernetesServiceIp.ToString(), (string?)stored!.Object["spec"]!["clusterIP"]);
    }

    /// <summary>Runs <paramref name="race"/> once, right after the first read of
    /// <paramref name="key"/> has been answered and before its caller goes on.</summary>
    private sealed class RaceAfterFirstRange(IKeyValueStore inner, string key, Func<Task> race) : IKeyValueStore
    {
        public bool Raced { get; private set; }

        public async Task<RangeResult> RangeAsync(RangeRequest request, CancellationToken cancellationToken = default)
        {
            var result = await inner.RangeAsync(request, cancellationToken);
            if (!Raced && System.Text.Encoding.UTF8.GetString(request.Key) == key)
            {
                Raced = true;
                await race();
            }
            return result;
        }

        public Task<PutResult> PutAsync(PutRequest request, CancellationToken cancellationToken = default) => inner.PutAsync(request, cancellationToken);
        public Task<DeleteRangeResult> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken cancellationToken = default) => inner.DeleteRangeAsync(request, cancellationToken);
        public Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default) => inner.TxnAsync(request, cancellationToken);
        public Task<CompactResult> CompactAsync(long revision, CancellationToken cancellationToken = default) => inner.CompactAsync(revision, cancellationToken);
        public IWatch Watch(WatchRequest request) => inner.Watch(request);
        public Task<LeaseGrantResult> LeaseGrantAsync(long id, long ttlSeconds, CancellationToken cancellationToken = default) => inner.LeaseGrantAsync(id, ttlSeconds, cancellationToken);
        public Task<long> LeaseRevokeAsync(long id, CancellationToken cancellationToken = default) => inner.LeaseRevokeAsync(id, cancellationToken);
        public Task<LeaseKeepAliveResult> LeaseKeepAliveAsync(long id, CancellationToken cancellationToken = default) => inner.LeaseKeepAliveAsync(id, cancellationToken);
        public Task<LeaseTimeToLiveResult?> LeaseTimeToLiveAsync(long id, bool includeKeys, CancellationToken cancellationToken = default) => inner.LeaseTimeToLiveAsync(id, includeKeys, cancellationToken);
        public Task<LeaseListResult> LeaseListAsync(CancellationToken cancellationToken = default) => inner.LeaseListAsync(cancellationToken);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Moves the clock 5 s at a time (the servers renew every 10 s, leases last 15 s)
    /// until the endpoints satisfy <paramref name="done"/>.</summary>
    private async Task<List<string>> EventuallyAsync(HttpClient client, Func<List<string>, bool> done)
    {
        for (var step = 0; step < 40; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            for (var poll = 0; poll < 20; poll++)
            {
                var ips = await EndpointsAsync(client);
                if (done(ips))
                {
                    return ips;
                }

                await Task.Delay(25);
            }
        }

        return await EndpointsAsync(client);
    }

    private static async Task<List<string>> EndpointsAsync(HttpClient client)
    {
        var body = await SharedServer.SendAsync(client, HttpMethod.Get, "/api/v1/namespaces/default/endpoints/kubernetes");
        Assert.Equal(HttpStatusCode.OK, body.Code);
        Assert.Equal(6443, body.Body["subsets"]![0]!["ports"]![0]!["port"]!.GetValue<int>());
        return (body.Body["subsets"]![0]!["addresses"] as JsonArray)!.Select(a => a!["ip"]!.ToString()).ToList();
    }

    private static async Task<List<string>> SliceAsync(HttpClient client)
    {
        var body = await SharedServer.SendAsync(client, HttpMethod.Get, "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes");
        Assert.Equal(HttpStatusCode.OK, body.Code);
        return (body.Body["endpoints"] as JsonArray)!.Select(e => e!["addresses"]![0]!.ToString()).ToList();
    }
}
