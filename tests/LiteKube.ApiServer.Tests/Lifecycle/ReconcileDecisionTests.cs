using LiteKube.ApiServer.Registry.Lifecycle;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Tests.Lifecycle;

/// <summary>The garbage collector's and the namespace cleanup's decisions on small graphs, written
/// as the steps each world leads to ("Delete configmaps ns/a Background").</summary>
public sealed class ReconcileDecisionTests
{
    private static readonly ResourceCatalog Catalog = ResourceCatalog.BuiltIn();

    private static ResourceDefinition? Resolve(string group, string kind) =>
        Catalog.Resources.FirstOrDefault(r => r.Group == group && r.Kind == kind);

    private static GraphNode Node(string plural, string name, string uid, string ns = "ns", bool deleting = false, string[]? finalizers = null,
        OwnerReference[]? owners = null, string[]? specFinalizers = null, string group = "")
    {
        var resource = Catalog.Find(group, "v1", plural)!;
        return new GraphNode(resource, resource.Namespaced ? ns : "", name, uid, 1, deleting, finalizers ?? [], specFinalizers ?? [], owners ?? []);
    }

    private static OwnerReference Ref(string kind, string name, string uid, bool block = false, string apiVersion = "v1") =>
        new(apiVersion, kind, name, uid, block);

    private static ObjectGraph Graph(params GraphNode[] nodes)
    {
        var graph = new ObjectGraph();
        foreach (var node in nodes)
        {
            graph.Put(node);
        }

        return graph;
    }

    private static string[] Trace(IEnumerable<LifecycleAction> actions) => actions.Select(a =>
    {
        var target = $"{a.Node.Resource.Plural} {(a.Node.Namespace == "" ? "" : a.Node.Namespace + "/")}{a.Node.Name}";
        return a switch
        {
            LifecycleAction.Delete d => $"Delete {target} {d.Policy}" + (d.AbsentOwners.Count > 0 ? $" if {string.Join(",", d.AbsentOwners.Select(o => o.Name))} absent" : ""),
            LifecycleAction.RemoveOwnerReferences r => $"RemoveOwnerReferences {target} {string.Join(",", r.OwnerUids)}",
            LifecycleAction.RemoveFinalizer f => $"RemoveFinalizer {target} {f.Finalizer}",
            LifecycleAction.FinalizeNamespace => $"FinalizeNamespace {target}",
            _ => a.ToString(),
        };
    }).Order(StringComparer.Ordinal).ToArray();

    private static string[] Collect(ObjectGraph graph) => Trace(GarbageCollector.Decide(graph, Resolve));

    [Fact]
    public void Dependents_of_a_live_owner_stay()
    {
        Assert.Empty(Collect(Graph(
            Node("configmaps", "owner", "o1"),
            Node("configmaps", "a", "a1", owners: [Ref("ConfigMap", "owner", "o1")]))));
    }

    [Fact]
    public void A_dependent_whose_only_owner_is_gone_is_deleted_in_the_background_after_checking()
    {
        Assert.Equal(["Delete configmaps ns/a Background if owner absent"], Collect(Graph(
            Node("configmaps", "a", "a1", owners: [Ref("ConfigMap", "owner", "o1")]))));
    }

    [Fact]
    public void A_dependent_keeps_its_own_propagation_finalizer_when_collected()
    {
        Assert.Equal(["Delete configmaps ns/a Orphan if owner absent"], Collect(Graph(
            Node("configmaps", "a", "a1", finalizers: ["orphan"], owners: [Ref("ConfigMap", "owner", "o1")]))));
    }

    [Fact]
    public void An_owner_of_the_same_uid_but_another_name_or_namespace_is_absent()
    {
        Assert.Equal(["Delete configmaps ns/a Background if owner absent", "Delete configmaps ns/b Background if owner absent"], Collect(Graph(
            Node("configmaps", "renamed", "o1", ns: "ns"),
            Node("configmaps", "owner", "o2", ns: "elsewhere"),
            Node("configmaps", "a", "a1", owners: [Ref("ConfigMap", "owner", "o1")]),
            Node("configmaps", "b", "b1", owners: [Ref("ConfigMap", "owner", "o2")]))));
    }

    [Fact]
    public void Unresolvable_owners_keep_their_dependents()
    {
        Assert.Empty(Collect(Graph(
            Node("configmaps", "a", "a1", owners: [Ref("Widget", "w", "w1", apiVersion: "example.com/v1")]),
            Node("persistentvolumes", "pv", "p1", owners: [Ref("ConfigMap", "cm", "c1")]))));
    }

    [Fact]
    public void A_dependent_with_a_live_owner_loses_only_its_absent_and_waiting_references()
    {
        // (The waiting owner is not blocked by a reference without blockOwnerDeletion.)
        Assert.Equal(["RemoveFinalizer configmaps ns/fg-owner foregroundDeletion", "RemoveOwnerReferences configmaps ns/a gone,fg"], Collect(Graph(
            Node("configmaps", "live", "live"),
            Node("configmaps", "fg-owner", "fg", deleting: true, finalizers: ["foregroundDeletion"]),
            Node("configmaps", "a", "a1", owners: [Ref("ConfigMap", "live", "live"), Ref("ConfigMap", "gone-owner", "gone"), Ref("ConfigMap", "fg-owner", "fg")]))));
    }

    [Fact]
    public void An_orphaning_owner_first_frees_its_dependents_then_drops_its_finalizer()
    {
        var owner = Node("deployments", "web", "d1", deleting: true, finalizers: ["orphan"], group: "apps");
        var rs = Node("replicasets", "web-1", "r1", owners: [Ref("Deployment", "web", "d1", block: true, apiVersion: "apps/v1")], group: "apps");

        Assert.Equal(["RemoveOwnerReferences replicasets ns/web-1 d1"], Collect(Graph(owner, rs)));
        Assert.Equal(["RemoveFinalizer deployments ns/web orphan"], Collect(Graph(owner, rs with { Owners = [] })));
    }

    [Fact]
    public void A_foreground_owner_has_its_dependents_deleted_and_waits_for_the_blocking_ones()
    {
        var owner = Node("deployments", "web", "d1", deleting: true, finalizers: ["foregroundDeletion"], group: "apps");
        var rs = Node("replicasets", "web-1", "r1", owners: [Ref("Deployment", "web", "d1", block: true, apiVersion: "apps/v1")], group: "apps");
        var pod = Node("pods", "web-1-a", "p1", owners: [Ref("ReplicaSet", "web-1", "r1", block: true, apiVersion: "apps/v1")]);

        // The replica set has dependents of its own: it goes in the foreground too.
        Assert.Equal(["Delete replicasets ns/web-1 Foreground"], Collect(Graph(owner, rs, pod)));
        Assert.Equal(["Delete replicasets ns/web-1 Background"], Collect(Graph(owner, rs)));
        // Being deleted but still there: the owner still waits.
        Assert.Empty(Collect(Graph(owner, rs with { Deleting = true, Finalizers = ["example.com/x"] })));
        Assert.Equal(["RemoveFinalizer deployments ns/web foregroundDeletion"], Collect(Graph(owner)));
        // A dependent that does not block does not hold the owner.
        Assert.Equal(["Delete replicasets ns/web-1 Background", "RemoveFinalizer deployments ns/web foregroundDeletion"],
            Collect(Graph(owner, rs with { Owners = [Ref("Deployment", "web", "d1", block: false, apiVersion: "apps/v1")] })));
    }

    [Fact]
    public void Deciding_twice_on_the_same_world_decides_the_same()
    {
        var graph = Graph(
            Node("configmaps", "a", "a1", owners: [Ref("ConfigMap", "owner", "o1")]),
            Node("deployments", "web", "d1", deleting: true, finalizers: ["orphan"], group: "apps"));

        Assert.Equal(Collect(graph), Collect(graph));
    }

    [Fact]
    public void A_terminating_namespace_deletes_its_content_then_is_finalized()
    {
        var ns = Node("namespaces", "x", "n1", deleting: true, specFinalizers: ["kubernetes"]);

        Assert.Equal(["Delete configmaps x/a Background", "Delete pods x/p Background"], Trace(NamespaceCleanup.Decide(Graph(
            ns,
            Node("configmaps", "a", "a1", ns: "x"),
            Node("pods", "p", "p1", ns: "x"),
            Node("configmaps", "held", "h1", ns: "x", deleting: true, finalizers: ["example.com/x"]),
            Node("configmaps", "other", "o1", ns: "y")))));
        Assert.Empty(NamespaceCleanup.Decide(Graph(ns, Node("configmaps", "held", "h1", ns: "x", deleting: true, finalizers: ["example.com/x"]))));
        Assert.Equal(["FinalizeNamespace namespaces x"], Trace(NamespaceCleanup.Decide(Graph(ns, Node("configmaps", "other", "o1", ns: "y")))));
    }

    [Fact]
    public void Active_namespaces_are_left_alone_and_a_finalized_one_is_removed()
    {
        Assert.Empty(NamespaceCleanup.Decide(Graph(Node("namespaces", "x", "n1", specFinalizers: ["kubernetes"]), Node("configmaps", "a", "a1", ns: "x"))));
        Assert.Equal(["Delete namespaces x Background"], Trace(NamespaceCleanup.Decide(Graph(Node("namespaces", "x", "n1", deleting: true)))));
        Assert.Empty(NamespaceCleanup.Decide(Graph(Node("namespaces", "x", "n1", deleting: true, finalizers: ["orphan"]))));
    }

    [Fact]
    public void The_graph_follows_changes_and_relists()
    {
        var graph = Graph(Node("configmaps", "a", "a1", owners: [Ref("ConfigMap", "o", "o1")]));
        Assert.Single(graph.DependentsOf("o1"));

        graph.Put(Node("configmaps", "a", "a1"));
        Assert.Empty(graph.DependentsOf("o1"));
        graph.Reset("/registry/configmaps/", [Node("configmaps", "b", "b1", ns: "z")]);
        Assert.Null(graph.ByUid("a1"));
        Assert.Single(graph.In("z"));
        graph.Remove(Catalog.Find("", "v1", "configmaps")!, "z", "b");
        Assert.Equal(0, graph.Count);
    }
}
