using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Lifecycle;
using LiteKube.ApiServer.Resources;
using LiteKube.Datastore.Mvcc;

namespace LiteKube.ApiServer.Tests.Lifecycle;

/// <summary>Several servers run the reconcilers at once: the same decisions carried out by
/// several executors on one datastore apply once, and a stale decision applies not at all.</summary>
public sealed class ConcurrentReconcilersTests
{
    private static readonly ResourceCatalog Catalog = ResourceCatalog.BuiltIn();
    private static readonly ResourceDefinition ConfigMaps = Catalog.Find("", "v1", "configmaps")!;
    private static readonly ResourceDefinition Namespaces = Catalog.Find("", "v1", "namespaces")!;

    private static async Task<JsonObject> CreateAsync(ObjectStore objects, ResourceDefinition resource, string ns, string json) =>
        await objects.CreateAsync(resource, ns, JsonNode.Parse(json)!.AsObject(), CancellationToken.None);

    private static async Task<ObjectGraph> GraphAsync(ObjectStore objects)
    {
        var graph = new ObjectGraph();
        foreach (var resource in Catalog.Resources.Where(r => r.Verbs.Contains("watch")).DistinctBy(r => r.StoragePrefix))
        {
            var (items, _, _) = await objects.ListAsync(resource, "", null, 0, 0, CancellationToken.None);
            graph.Reset(resource.StoragePrefix, items.Select(i => GraphNode.Of(resource, i.Object, i.Revision)));
        }

        return graph;
    }

    [Fact]
    public async Task Four_executors_running_the_same_passes_empty_a_namespace_and_collect_garbage_once()
    {
        await using var store = LocalStore.CreateInMemory();
        var objects = new ObjectStore(store, TimeProvider.System);
        var executors = Enumerable.Range(0, 4).Select(_ => new LifecycleExecutor(objects, new ObjectDeleter(objects), Catalog)).ToList();
        await CreateAsync(objects, Namespaces, "", """{"metadata":{"name":"x"},"spec":{"finalizers":["kubernetes"]}}""");
        for (var i = 0; i < 20; i++)
        {
            await CreateAsync(objects, ConfigMaps, "x", $$$"""{"metadata":{"name":"c{{{i}}}"}}""");
            await CreateAsync(objects, ConfigMaps, "y", $$$"""{"metadata":{"name":"stray{{{i}}}","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"gone","uid":"u-{{{i}}}"}]}}""");
        }

        await CreateAsync(objects, ConfigMaps, "y", """{"metadata":{"name":"keep"}}""");
        await new ObjectDeleter(objects).DeleteAsync(Namespaces, "", "x", DeleteOptions.Default, CancellationToken.None);

        for (var pass = 0; pass < 5; pass++)
        {
            var graph = await GraphAsync(objects);
            var actions = NamespaceCleanup.Decide(graph);
            actions.AddRange(GarbageCollector.Decide(graph, executors[0].ResolveKind));
            // Every executor takes every step, in a different order, at the same time.
            var applied = await Task.WhenAll(executors.Select((e, n) => Task.Run(async () =>
            {
                var count = 0;
                foreach (var action in n % 2 == 0 ? actions : Enumerable.Reverse(actions))
                {
                    count += await e.RunAsync(action, CancellationToken.None) ? 1 : 0;
                }

                return count;
            })));
            Assert.True(applied.Sum() <= actions.Count, $"pass {pass}: {applied.Sum()} steps applied for {actions.Count} decided");
        }

        Assert.Null(await objects.GetStoredAsync(Namespaces, "", "x", CancellationToken.None));
        var (left, _, _) = await objects.ListAsync(ConfigMaps, "", null, 0, 0, CancellationToken.None);
        Assert.Equal(["keep"], left.Select(i => ObjectStore.Metadata(i.Object)["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_decision_made_on_a_stale_graph_does_not_delete_a_recreated_object_or_one_whose_owner_came_back()
    {
        await using var store = LocalStore.CreateInMemory();
        var objects = new ObjectStore(store, TimeProvider.System);
        var executor = new LifecycleExecutor(objects, new ObjectDeleter(objects), Catalog);
        await CreateAsync(objects, ConfigMaps, "y", """{"metadata":{"name":"a","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"o1"}]}}""");
        var stale = GarbageCollector.Decide(await GraphAsync(objects), executor.ResolveKind);
        Assert.Single(stale);

        // The owner appears with the referenced uid before the step runs (the graph lagged).
        var owner = JsonNode.Parse("""{"metadata":{"name":"owner","namespace":"y","uid":"o1"}}""")!.AsObject();
        await store.PutAsync(new LiteKube.Datastore.PutRequest(System.Text.Encoding.UTF8.GetBytes(ConfigMaps.StorageKey("y", "owner")), ObjectStore.Serialize(owner)), CancellationToken.None);
        Assert.False(await executor.RunAsync(stale[0], CancellationToken.None));
        Assert.NotNull(await objects.GetStoredAsync(ConfigMaps, "y", "a", CancellationToken.None));

        // The dependent is replaced by a new object of the same name: the old decision does not touch it.
        var old = await objects.GetStoredAsync(ConfigMaps, "y", "a", CancellationToken.None);
        Assert.True(await objects.RemoveAsync(ConfigMaps, "y", "a", old!.Revision, CancellationToken.None));
        await CreateAsync(objects, ConfigMaps, "y", """{"metadata":{"name":"a"}}""");
        var delete = (LifecycleAction.Delete)stale[0];
        Assert.False(await executor.RunAsync(delete with { AbsentOwners = [] }, CancellationToken.None));
        Assert.NotNull(await objects.GetStoredAsync(ConfigMaps, "y", "a", CancellationToken.None));
    }
}
