using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Services;
using LiteKube.ApiServer.Resources;
using LiteKube.Datastore;
using LiteKube.Datastore.Mvcc;

namespace LiteKube.ApiServer.Tests.Services;

/// <summary>ObjectStore's storage hook seam over a real in-memory datastore.</summary>
public sealed class StorageHookTests : IAsyncLifetime
{
    private static readonly ResourceCatalog Catalog = ResourceCatalog.BuiltIn();
    private static readonly ResourceDefinition ConfigMaps = Catalog.Find("", "v1", "configmaps")!;
    private static readonly ResourceDefinition Services = Catalog.Find("", "v1", "services")!;
    private readonly LocalStore _kv = LocalStore.CreateInMemory();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _kv.DisposeAsync();

    /// <summary>Writes a marker key per object beside it; can be told to lose the race once.</summary>
    private sealed class MarkerHook(IKeyValueStore kv) : IStorageHook
    {
        public int Calls;
        public bool LoseOnce;

        public bool Handles(ResourceDefinition resource) => resource.Plural == "configmaps";

        public async Task<StorageEffects> BeforeCreateAsync(ResourceDefinition resource, JsonObject created, CancellationToken cancellationToken)
        {
            Calls++;
            var key = Key(created);
            if (LoseOnce)
            {
                // Someone else takes the marker between the hook's read and the txn.
                LoseOnce = false;
                await kv.PutAsync(new PutRequest(key, "other"u8.ToArray()), cancellationToken);
                created["data"] = new JsonObject { ["attempt"] = "first" };
                return new StorageEffects([new Compare(key, CompareTarget.Create, CompareResult.Equal) { Number = 0 }], [new TxnPutOp(new PutRequest(key, "mine"u8.ToArray()))]);
            }

            await kv.DeleteRangeAsync(new DeleteRangeRequest(key), cancellationToken);
            created["data"] = new JsonObject { ["attempt"] = "later" };
            return new StorageEffects([new Compare(key, CompareTarget.Create, CompareResult.Equal) { Number = 0 }], [new TxnPutOp(new PutRequest(key, "mine"u8.ToArray()))]);
        }

        public Task<StorageEffects> BeforeUpdateAsync(ResourceDefinition resource, JsonObject current, JsonObject updated, CancellationToken cancellationToken) =>
            Task.FromResult(StorageEffects.None);

        public StorageEffects BeforeRemove(ResourceDefinition resource, JsonObject current) =>
            new([], [new TxnDeleteOp(new DeleteRangeRequest(Key(current)))]);

        public static byte[] Key(JsonObject obj) => Encoding.UTF8.GetBytes("/marker/" + ObjectStore.Metadata(obj)["name"]);
    }

    private async Task<bool> ExistsAsync(byte[] key) => (await _kv.RangeAsync(new RangeRequest(key) { CountOnly = true })).Count > 0;

    [Fact]
    public async Task Hook_ops_are_written_with_the_object_and_removed_with_it()
    {
        var hook = new MarkerHook(_kv);
        var objects = new ObjectStore(_kv, TimeProvider.System, [hook]);
        var created = await objects.CreateAsync(ConfigMaps, "default", JsonNode.Parse("""{"metadata":{"name":"a"}}""")!.AsObject(), CancellationToken.None);
        var marker = MarkerHook.Key(created);
        Assert.True(await ExistsAsync(marker));

        var revision = long.Parse(created["metadata"]!["resourceVersion"]!.ToString());
        Assert.False(await objects.RemoveAsync(ConfigMaps, "default", "a", revision - 1, CancellationToken.None));
        Assert.True(await ExistsAsync(marker));
        Assert.True(await objects.RemoveAsync(ConfigMaps, "default", "a", revision, CancellationToken.None));
        Assert.False(await ExistsAsync(marker));
    }

    [Fact]
    public async Task When_only_a_hook_compare_fails_the_store_asks_the_hook_again_on_a_fresh_copy()
    {
        var hook = new MarkerHook(_kv) { LoseOnce = true };
        var objects = new ObjectStore(_kv, TimeProvider.System, [hook]);

        var created = await objects.CreateAsync(ConfigMaps, "default", JsonNode.Parse("""{"metadata":{"name":"a"}}""")!.AsObject(), CancellationToken.None);

        Assert.Equal(2, hook.Calls);
        Assert.Equal("later", created["data"]!["attempt"]!.ToString());
        var again = await Assert.ThrowsAsync<ApiException>(() =>
            objects.CreateAsync(ConfigMaps, "default", JsonNode.Parse("""{"metadata":{"name":"a"}}""")!.AsObject(), CancellationToken.None));
        Assert.Equal("AlreadyExists", again.Reason);
    }

    [Fact]
    public async Task Many_parallel_service_creates_get_distinct_addresses_and_ports()
    {
        var options = new ServiceNetworkOptions { ServiceCidr = System.Net.IPNetwork.Parse("10.43.0.0/26"), NodePortFirst = 30000, NodePortLast = 30079 };
        var objects = new ObjectStore(_kv, TimeProvider.System, [new ServiceAllocationHook(_kv, options)]);

        var created = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            objects.CreateAsync(Services, "default", JsonNode.Parse($$"""{"metadata":{"name":"s{{i}}"},"spec":{"type":"NodePort","ports":[{"port":80}]} }""")!.AsObject(), CancellationToken.None))));

        var ips = created.Select(s => s["spec"]!["clusterIP"]!.ToString()).ToList();
        var ports = created.Select(s => s["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>()).ToList();
        Assert.Equal(40, ips.Distinct().Count());
        Assert.Equal(40, ports.Distinct().Count());
        var taken = await new ServiceAllocationHook(_kv, options).TakenAsync(CancellationToken.None);
        Assert.Equal(ips.ToHashSet(), taken.Ips.ToHashSet());
        Assert.Equal(ports.ToHashSet(), taken.Ports.ToHashSet());
    }

    [Fact]
    public async Task Updates_and_removals_of_services_move_their_pool_keys_in_the_same_revision()
    {
        var hook = new ServiceAllocationHook(_kv, new ServiceNetworkOptions());
        var objects = new ObjectStore(_kv, TimeProvider.System, [hook]);
        var created = await objects.CreateAsync(Services, "default",
            JsonNode.Parse("""{"metadata":{"name":"s"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":30080}]}}""")!.AsObject(), CancellationToken.None);
        var ip = created["spec"]!["clusterIP"]!.ToString();
        var key = Encoding.UTF8.GetBytes(ServiceAllocationHook.NodePortPrefix + "30080");
        Assert.Equal(long.Parse(created["metadata"]!["resourceVersion"]!.ToString()), (await _kv.RangeAsync(new RangeRequest(key))).Kvs[0].ModRevision);

        var updated = await objects.UpdateAsync(Services, "default", "s", current =>
        {
            current["spec"]!["type"] = "ClusterIP";
            return current;
        }, CancellationToken.None);
        Assert.Null(updated["spec"]!["ports"]![0]!["nodePort"]);
        Assert.Equal(ip, updated["spec"]!["clusterIP"]!.ToString());
        Assert.Empty((await hook.TakenAsync(CancellationToken.None)).Ports);

        Assert.True(await objects.RemoveAsync(Services, "default", "s", long.Parse(updated["metadata"]!["resourceVersion"]!.ToString()), CancellationToken.None));
        Assert.Empty((await hook.TakenAsync(CancellationToken.None)).Ips);
    }

    [Fact]
    public async Task A_dry_run_create_fills_in_values_but_takes_nothing()
    {
        var hook = new ServiceAllocationHook(_kv, new ServiceNetworkOptions());
        var objects = new ObjectStore(_kv, TimeProvider.System, [hook]);
        var dry = await objects.CreateAsync(Services, "default",
            JsonNode.Parse("""{"metadata":{"name":"s"},"spec":{"ports":[{"port":80}]}}""")!.AsObject(), dryRun: true, CancellationToken.None);
        Assert.NotNull(dry["spec"]!["clusterIP"]);
        Assert.Empty((await hook.TakenAsync(CancellationToken.None)).Ips);
        var bad = await Assert.ThrowsAsync<ApiException>(() => objects.CreateAsync(Services, "default",
            JsonNode.Parse("""{"metadata":{"name":"s"},"spec":{"clusterIP":"1.2.3.4","ports":[{"port":80}]}}""")!.AsObject(), dryRun: true, CancellationToken.None));
        Assert.Equal((HttpStatusCode)422, bad.Code);
    }
}
