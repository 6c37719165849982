using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Registry.Lifecycle;

/// <summary>
/// Carries out the reconcilers' decisions against the datastore. The graph they were made from
/// may lag, so every step re-reads: an owner believed absent is looked up first, and every write
/// is conditional (the object's uid, the revision read), so that a stale decision, or another
/// server doing the same work, changes nothing. Returns false when the step did not apply.
/// </summary>
public sealed class LifecycleExecutor(ObjectStore objects, ObjectDeleter deleter, ResourceCatalog catalog)
{
    private readonly Dictionary<(string Group, string Kind), ResourceDefinition> _kinds = catalog.Resources
        .Where(r => r.Verbs.Contains("get"))
        .GroupBy(r => (r.Group, r.Kind))
        .ToDictionary(g => g.Key, g => g.First());

    private readonly IReadOnlyList<ResourceDefinition> _namespaced = catalog.Resources
        .Where(r => r.Namespaced && r.Verbs.Contains("list"))
        .DistinctBy(r => r.StoragePrefix)
        .ToList();

    public ResourceDefinition? ResolveKind(string group, string kind) => _kinds.GetValueOrDefault((group, kind));

    public async Task<bool> RunAsync(LifecycleAction action, CancellationToken cancellationToken)
    {
        try
        {
            return action switch
            {
                LifecycleAction.Delete delete => await OwnersAbsentAsync(delete.Node, delete.AbsentOwners, cancellationToken).ConfigureAwait(false)
                    && await deleter.DeleteIfSameAsync(delete.Node.Resource, delete.Node.Namespace, delete.Node.Name, delete.Node.Uid, delete.Policy, cancellationToken).ConfigureAwait(false),
                LifecycleAction.RemoveOwnerReferences remove => await OwnersAbsentAsync(remove.Node, remove.AbsentOwners, cancellationToken).ConfigureAwait(false)
                    && await EditAsync(remove.Node, obj => RemoveReferences(obj, remove.OwnerUids), cancellationToken).ConfigureAwait(false),
                LifecycleAction.RemoveFinalizer finalizer => await EditAsync(finalizer.Node, obj => RemoveFinalizer(ObjectStore.Metadata(obj), "finalizers", finalizer.Finalizer), cancellationToken).ConfigureAwait(false),
                LifecycleAction.FinalizeNamespace ns => await FinalizeNamespaceAsync(ns.Node, cancellationToken).ConfigureAwait(false),
                _ => false,
            };
        }
        catch (ApiException e) when (e.Reason is "NotFound" or "Conflict")
        {
            return false;
        }
    }

    private async Task<bool> FinalizeNamespaceAsync(GraphNode ns, CancellationToken cancellationToken)
    {
        foreach (var resource in _namespaced)
        {
            var (items, _, _) = await objects.ListAsync(resource, ns.Name, null, 0, 1, cancellationToken).ConfigureAwait(false);
            if (items.Count > 0)
            {
                return false;
            }
        }

        // Not an update: spec.finalizers of a namespace are not a client's to change (upstream's /finalize).
        var stored = await objects.GetStoredAsync(ns.Resource, "", ns.Name, cancellationToken).ConfigureAwait(false);
        if (stored is null || ObjectStore.Metadata(stored.Object)["uid"]?.ToString() != ns.Uid
            || stored.Object["spec"] is not JsonObject spec || !RemoveFinalizer(spec, "finalizers", Finalizer.Kubernetes)
            || !await objects.WriteAtAsync(ns.Resource, "", ns.Name, stored.Object, stored.Revision, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        return await deleter.DeleteIfSameAsync(ns.Resource, "", ns.Name, ns.Uid, policy: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when none of <paramref name="owners"/> exists with its uid.</summary>
    private async Task<bool> OwnersAbsentAsync(GraphNode dependent, IReadOnlyList<OwnerReference> owners, CancellationToken cancellationToken)
    {
        foreach (var owner in owners)
        {
            if (ResolveKind(owner.Group, owner.Kind) is not { } resource)
            {
                return false;
            }

            var stored = await objects.GetStoredAsync(resource, resource.Namespaced ? dependent.Namespace : "", owner.Name, cancellationToken).ConfigureAwait(false);
            if (stored is not null && ObjectStore.Metadata(stored.Object)["uid"]?.ToString() == owner.Uid)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Applies <paramref name="edit"/> to the object if it still has the node's uid;
    /// false when the object is gone, replaced, or the edit changes nothing.</summary>
    private async Task<bool> EditAsync(GraphNode node, Func<JsonObject, bool> edit, CancellationToken cancellationToken)
    {
        try
        {
            await objects.UpdateAsync(node.Resource, node.Namespace, node.Name, current =>
            {
                if (ObjectStore.Metadata(current)["uid"]?.ToString() != node.Uid || !edit(current))
                {
                    throw new NothingToDoException();
                }

                return current;
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NothingToDoException)
        {
            return false;
        }
    }

    private static bool RemoveReferences(JsonObject obj, IReadOnlyList<string> ownerUids)
    {
        var metadata = ObjectStore.Metadata(obj);
        if (metadata["ownerReferences"] is not JsonArray references)
        {
            return false;
        }

        var removed = references.OfType<JsonObject>().Where(r => ownerUids.Contains(r["uid"]?.ToString() ?? "")).ToList();
        foreach (var reference in removed)
        {
            references.Remove(reference);
        }

        if (references.Count == 0)
        {
            metadata.Remove("ownerReferences");
        }

        return removed.Count > 0;
    }

    private static bool RemoveFinalizer(JsonObject holder, string field, string finalizer)
    {
        if (holder[field] is not JsonArray list)
        {
            return false;
        }

        var matches = list.Where(f => f?.ToString() == finalizer).ToList();
        foreach (var match in matches)
        {
            list.Remove(match);
        }

        if (list.Count == 0)
        {
            holder.Remove(field);
        }

        return matches.Count > 0;
    }

    private sealed class NothingToDoException : Exception;
}
