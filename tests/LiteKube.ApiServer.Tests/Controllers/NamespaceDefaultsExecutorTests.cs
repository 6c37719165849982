using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Controllers;
using LiteKube.ApiServer.Registry.Lifecycle;
using LiteKube.ApiServer.Resources;
using LiteKube.Datastore.Mvcc;

namespace LiteKube.ApiServer.Tests.Controllers;

/// <summary>The executor re-reads before it writes: several servers taking the same steps apply
/// each once, and a step decided on a stale view (namespace gone, terminating, replaced; map
/// replaced) applies not at all.</summary>
public sealed class NamespaceDefaultsExecutorTests
{
    private const string Ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static readonly ResourceCatalog Catalog = ResourceCatalog.BuiltIn();
    private static readonly ResourceDefinition Namespaces = Catalog.Find("", "v1", "namespaces")!;
    private static readonly ResourceDefinition ServiceAccounts = Catalog.Find("", "v1", "serviceaccounts")!;
    private static readonly ResourceDefinition ConfigMaps = Catalog.Find("", "v1", "configmaps")!;

    private static async Task<NamespaceDefaultsView> ViewAsync(ObjectStore objects)
    {
        var view = new NamespaceDefaultsView();
        foreach (var (kind, resource) in new[] { (ObservedKind.Namespace, Namespaces), (ObservedKind.ServiceAccount, ServiceAccounts), (ObservedKind.ConfigMap, ConfigMaps) })
        {
            var (items, _, _) = await objects.ListAsync(resource, "", null, 0, 0, CancellationToken.None);
            view.Reset(kind, items.Select(i => i.Object));
        }

        return view;
    }

    private static List<NamespaceDefaultsAction> Decide(NamespaceDefaultsView view) =>
        [.. ServiceAccountController.Decide(view), .. RootCaPublisher.Decide(view, Ca)];

    private static async Task<string> CreateNamespaceAsync(ObjectStore objects, string name)
    {
        var ns = await objects.CreateAsync(Namespaces, "", JsonNode.Parse($$$"""{"metadata":{"name":"{{{name}}}"},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}""")!.AsObject(), CancellationToken.None);
        return ns["metadata"]!["uid"]!.ToString();
    }

    [Fact]
    public async Task Four_servers_taking_the_same_steps_create_each_object_once()
    {
        await using var store = LocalStore.CreateInMemory();
        var objects = new ObjectStore(store, TimeProvider.System);
        var executors = Enumerable.Range(0, 4).Select(_ => new NamespaceDefaultsExecutor(objects, Catalog, new RootCaPublisherOptions(Ca))).ToList();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await CreateNamespaceAsync(objects, name);
        }

        var actions = Decide(await ViewAsync(objects));
        Assert.Equal(6, actions.Count);
        var applied = await Task.WhenAll(executors.Select(e => Task.Run(async () =>
        {
            var count = 0;
            foreach (var action in actions)
            {
                count += await e.RunAsync(action, CancellationToken.None) ? 1 : 0;
            }

            return count;
        })));

        Assert.Equal(6, applied.Sum());
        Assert.Empty(Decide(await ViewAsync(objects)));
    }

    [Fact]
    public async Task A_step_for_a_namespace_that_is_terminating_or_was_replaced_does_nothing()
    {
        await using var store = LocalStore.CreateInMemory();
        var objects = new ObjectStore(store, TimeProvider.System);
        var executor = new NamespaceDefaultsExecutor(objects, Catalog, new RootCaPublisherOptions(Ca));
        await CreateNamespaceAsync(objects, "doomed");
        await CreateNamespaceAsync(objects, "reborn");
        var stale = Decide(await ViewAsync(objects));

        await new ObjectDeleter(objects).DeleteAsync(Namespaces, "", "doomed", DeleteOptions.Default, CancellationToken.None);
        await objects.UpdateAsync(Namespaces, "", "reborn", ns =>
        {
            ns["metadata"]!["uid"] = "another-uid";
            return ns;
        }, CancellationToken.None);

        foreach (var action in stale)
        {
            Assert.False(await executor.RunAsync(action, CancellationToken.None), action.ToString());
        }

        Assert.Null(await objects.GetStoredAsync(ServiceAccounts, "doomed", "default", CancellationToken.None));
        Assert.Null(await objects.GetStoredAsync(ConfigMaps, "reborn", RootCaPublisher.ConfigMapName, CancellationToken.None));
    }

    [Fact]
    public async Task A_restore_decided_for_a_config_map_that_was_replaced_meanwhile_does_nothing()
    {
        await using var store = LocalStore.CreateInMemory();
        var objects = new ObjectStore(store, TimeProvider.System);
        var executor = new NamespaceDefaultsExecutor(objects, Catalog, new RootCaPublisherOptions(Ca));
        var uid = await CreateNamespaceAsync(objects, "a");
        await objects.CreateAsync(ConfigMaps, "a", JsonNode.Parse("""{"metadata":{"name":"kube-root-ca.crt"},"data":{"ca.crt":"stale"}}""")!.AsObject(), CancellationToken.None);
        var restore = Assert.Single(RootCaPublisher.Decide(await ViewAsync(objects), Ca));

        await objects.RemoveAsync(ConfigMaps, "a", RootCaPublisher.ConfigMapName, (await objects.GetStoredAsync(ConfigMaps, "a", RootCaPublisher.ConfigMapName, CancellationToken.None))!.Revision, CancellationToken.None);
        await objects.CreateAsync(ConfigMaps, "a", JsonNode.Parse("""{"metadata":{"name":"kube-root-ca.crt"},"data":{"ca.crt":"user"}}""")!.AsObject(), CancellationToken.None);
        Assert.False(await executor.RunAsync(restore, CancellationToken.None));

        var fresh = Assert.Single(RootCaPublisher.Decide(await ViewAsync(objects), Ca));
        Assert.Equal(uid, fresh.NamespaceUid);
        Assert.True(await executor.RunAsync(fresh, CancellationToken.None));
        var map = await objects.GetAsync(ConfigMaps, "a", RootCaPublisher.ConfigMapName, CancellationToken.None);
        Assert.Equal(Ca, map["data"]!["ca.crt"]!.ToString());
    }
}
