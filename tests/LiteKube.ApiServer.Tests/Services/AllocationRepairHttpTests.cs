using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Services;
using LiteKube.ApiServer.Registry.Services.Repair;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Tests.Infrastructure;
using LiteKube.ApiServer.Tests.Subresources;
using LiteKube.Datastore;
using LiteKube.Datastore.Mvcc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LiteKube.ApiServer.Tests.Services;

/// <summary>A server started on a datastore seeded with allocation damage repairs it on start,
/// reports what it cannot repair as Events, and gives back a leaked value after the grace.</summary>
public sealed class AllocationRepairHttpTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private LocalStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = LocalStore.CreateInMemory(new LocalStoreOptions { Time = _time });
        // Written without the allocation hook: Services whose keys are missing or wrong.
        var raw = new ObjectStore(_store, _time);
        var services = ResourceCatalog.BuiltIn().Find("", "v1", "services")!;
        await raw.CreateAsync(services, "default", Service("lost", """{"type":"NodePort","clusterIP":"10.43.0.10","clusterIPs":["10.43.0.10"],"ports":[{"port":80,"nodePort":30010}]}"""), CancellationToken.None);
        await raw.CreateAsync(services, "default", Service("first", """{"clusterIP":"10.43.0.20","clusterIPs":["10.43.0.20"],"ports":[{"port":80}]}"""), CancellationToken.None);
        await raw.CreateAsync(services, "default", Service("second", """{"clusterIP":"10.43.0.20","clusterIPs":["10.43.0.20"],"ports":[{"port":80}]}"""), CancellationToken.None);
        await PutAsync(ServiceAllocationHook.IpPrefix + "10.43.0.20", "default/first");
        await PutAsync(ServiceAllocationHook.IpPrefix + "10.43.0.30", "default/deleted-long-ago");
        await PutAsync(ServiceAllocationHook.NodePortPrefix + "30030", "default/deleted-long-ago");
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Start_time_repair_takes_missing_keys_reports_a_shared_ip_and_releases_leaks_after_the_grace()
    {
        await using var server = await InProcessApiServer.StartAsync(store: _store, time: _time);
        using var client = server.CreateAdminClient();

        Assert.Equal("default/lost", await HolderAsync(ServiceAllocationHook.IpPrefix + "10.43.0.10"));
        Assert.Equal("default/lost", await HolderAsync(ServiceAllocationHook.NodePortPrefix + "30010"));
        var events = await EventsAsync(client);
        Assert.Contains(("lost", "ClusterIPNotAllocated"), events);
        Assert.Contains(("lost", "PortNotAllocated"), events);
        Assert.Contains(("second", "ClusterIPAlreadyAllocated"), events);
        Assert.DoesNotContain(events, e => e.Service == "first");

        // Repaired: the lost Service's values can no longer be handed out twice.
        var clash = await SharedServer.SendAsync(client, HttpMethod.Post, "/api/v1/namespaces/default/services",
            Service("clash", """{"type":"NodePort","clusterIP":"10.43.0.10","ports":[{"port":80}]}""").ToJsonString());
        SharedServer.AssertStatus((HttpStatusCode)422, "Invalid", clash);

        // The leaked keys wait out the grace: two more passes at the same revision.
        Assert.NotNull(await HolderAsync(ServiceAllocationHook.IpPrefix + "10.43.0.30"));
        var repair = server.Services.GetRequiredService<AllocationRepairController>();
        await repair.RepairAsync(CancellationToken.None);
        Assert.NotNull(await HolderAsync(ServiceAllocationHook.IpPrefix + "10.43.0.30"));
        await repair.RepairAsync(CancellationToken.None);
        Assert.Null(await HolderAsync(ServiceAllocationHook.IpPrefix + "10.43.0.30"));
        Assert.Null(await HolderAsync(ServiceAllocationHook.NodePortPrefix + "30030"));

        // Reported once: later passes (and other servers) find the Event already there.
        await repair.RepairAsync(CancellationToken.None);
        Assert.Equal(events.Count, (await EventsAsync(client)).Count);
        Assert.Equal("default/first", await HolderAsync(ServiceAllocationHook.IpPrefix + "10.43.0.20"));
    }

    [Fact]
    public async Task The_periodic_pass_runs_on_the_injected_clock()
    {
        await using var server = await InProcessApiServer.StartAsync(store: _store, time: _time);
        await PutAsync(ServiceAllocationHook.IpPrefix + "10.43.0.99", "default/never");

        for (var pass = 0; pass < 3 * 40 && await HolderAsync(ServiceAllocationHook.IpPrefix + "10.43.0.99") is not null; pass++)
        {
            if (pass % 40 == 0)
            {
                _time.Advance(AllocationRepairController.Interval);
            }

            await Task.Delay(25);
        }

        Assert.Null(await HolderAsync(ServiceAllocationHook.IpPrefix + "10.43.0.99"));
        Assert.True(_time.GetUtcNow() - _time.Start >= 2 * AllocationRepairController.Interval);
    }

    private static JsonObject Service(string name, string spec) =>
        JsonNode.Parse($$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"{{name}}","namespace":"default"},"spec":{{spec}} }""")!.AsObject();

    private Task PutAsync(string key, string holder) =>
        _store.PutAsync(new PutRequest(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(holder)));

    private async Task<string?> HolderAsync(string key)
    {
        var result = await _store.RangeAsync(new RangeRequest(Encoding.UTF8.GetBytes(key)));
        return result.Kvs.Count == 0 ? null : Encoding.UTF8.GetString(result.Kvs[0].Value);
    }

    private static async Task<List<(string Service, string Reason)>> EventsAsync(HttpClient client)
    {
        var list = await SharedServer.SendAsync(client, HttpMethod.Get, "/api/v1/namespaces/default/events");
        Assert.Equal(HttpStatusCode.OK, list.Code);
        return (list.Body["items"] as JsonArray)!
            .Where(e => e!["source"]?["component"]?.ToString() == AllocationRepairExecutor.Component)
            .Select(e => (e!["involvedObject"]!["name"]!.ToString(), e["reason"]!.ToString())).ToList();
    }
}
