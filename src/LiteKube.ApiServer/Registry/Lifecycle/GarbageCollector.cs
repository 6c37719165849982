using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Registry.Lifecycle;

/// <summary>
/// Upstream's garbage collector (kube-controller-manager) as a pure decision over the object
/// graph; level-based, so running it again on the same world decides the same steps.
/// <list type="bullet">
/// <item>An owner being deleted with the <c>orphan</c> finalizer: its dependents lose their
/// reference to it, then the finalizer goes (and with it the owner).</item>
/// <item>An owner being deleted with <c>foregroundDeletion</c>: its dependents are deleted
/// (they see an owner "waiting for dependents"); the finalizer goes once no dependent with
/// blockOwnerDeletion remains.</item>
/// <item>A dependent none of whose owners exists any more (Background): deleted, honouring its
/// own orphan/foregroundDeletion finalizer. A dependent with a live owner only loses its
/// references to absent or waiting owners.</item>
/// </list>
/// An owner reference the server cannot resolve (unknown kind, or a namespaced owner of a
/// cluster-scoped object) counts as a live owner, so nothing is collected by mistake.
/// </summary>
public static class GarbageCollector
{
    public static List<LifecycleAction> Decide(ObjectGraph graph, Func<string, string, ResourceDefinition?> resolveKind)
    {
        var actions = new List<LifecycleAction>();
        foreach (var node in graph.Nodes)
        {
            if (node.Deleting)
            {
                DecideDeletingOwner(graph, node, actions);
            }
            else if (node.Owners.Count > 0)
            {
                DecideDependent(graph, node, resolveKind, actions);
            }
        }

        return actions;
    }

    private static void DecideDeletingOwner(ObjectGraph graph, GraphNode owner, List<LifecycleAction> actions)
    {
        if (owner.Has(Finalizer.Orphan))
        {
            var dependents = graph.DependentsOf(owner.Uid).ToList();
            if (dependents.Count == 0)
            {
                actions.Add(new LifecycleAction.RemoveFinalizer(owner, Finalizer.Orphan));
                return;
            }

            actions.AddRange(dependents.Select(d => new LifecycleAction.RemoveOwnerReferences(d, [owner.Uid], [])));
            return;
        }

        if (owner.Has(Finalizer.ForegroundDeletion)
            && !graph.DependentsOf(owner.Uid).Any(d => d.Owners.Any(o => o.Uid == owner.Uid && o.BlockOwnerDeletion)))
        {
            actions.Add(new LifecycleAction.RemoveFinalizer(owner, Finalizer.ForegroundDeletion));
        }
    }

    private static void DecideDependent(ObjectGraph graph, GraphNode node, Func<string, string, ResourceDefinition?> resolveKind, List<LifecycleAction> actions)
    {
        var solid = 0;
        var dangling = new List<OwnerReference>();
        var waiting = new List<OwnerReference>();
        foreach (var reference in node.Owners)
        {
            switch (Classify(graph, node, reference, resolveKind))
            {
                case OwnerState.Present:
                    solid++;
                    break;
                case OwnerState.Absent:
                    dangling.Add(reference);
                    break;
                case OwnerState.WaitingForDependents:
                    waiting.Add(reference);
                    break;
            }
        }

        if (solid > 0)
        {
            if (dangling.Count + waiting.Count > 0)
            {
                actions.Add(new LifecycleAction.RemoveOwnerReferences(node, [.. dangling.Concat(waiting).Select(r => r.Uid)], dangling));
            }

            return;
        }

        if (waiting.Count > 0 && graph.DependentsOf(node.Uid).Any())
        {
            // Its owner waits for its dependents, and it has dependents of its own: those go first.
            actions.Add(new LifecycleAction.Delete(node, Propagation.Foreground, dangling));
            return;
        }

        var policy = node.Has(Finalizer.Orphan) ? Propagation.Orphan
            : node.Has(Finalizer.ForegroundDeletion) ? Propagation.Foreground
            : Propagation.Background;
        actions.Add(new LifecycleAction.Delete(node, policy, dangling));
    }

    private enum OwnerState { Present, Absent, WaitingForDependents }

    private static OwnerState Classify(ObjectGraph graph, GraphNode node, OwnerReference reference, Func<string, string, ResourceDefinition?> resolveKind)
    {
        var ownerResource = resolveKind(reference.Group, reference.Kind);
        if (ownerResource is null || (ownerResource.Namespaced && !node.Resource.Namespaced))
        {
            return OwnerState.Present;
        }

        var owner = graph.ByUid(reference.Uid);
        if (owner is null
            || owner.Resource.StoragePrefix != ownerResource.StoragePrefix
            || owner.Name != reference.Name
            || (ownerResource.Namespaced && owner.Namespace != node.Namespace))
        {
            return OwnerState.Absent;
        }

        return owner.Deleting && owner.Has(Finalizer.ForegroundDeletion) ? OwnerState.WaitingForDependents : OwnerState.Present;
    }
}
