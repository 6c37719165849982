namespace LiteKube.ApiServer.Registry.Lifecycle;

/// <summary>One step a lifecycle reconciler decided on. The executor checks the datastore
/// before it writes: owners named in <c>AbsentOwners</c> must really be gone.</summary>
public abstract record LifecycleAction(GraphNode Node)
{
    /// <summary>Delete the object (if it still has its uid) with this propagation policy.</summary>
    public sealed record Delete(GraphNode Node, Propagation Policy, IReadOnlyList<OwnerReference> AbsentOwners) : LifecycleAction(Node);

    /// <summary>Drop the ownerReferences to these owner uids from the object.</summary>
    public sealed record RemoveOwnerReferences(GraphNode Node, IReadOnlyList<string> OwnerUids, IReadOnlyList<OwnerReference> AbsentOwners) : LifecycleAction(Node);

    /// <summary>Drop one finalizer; an object being deleted whose last finalizer goes is removed.</summary>
    public sealed record RemoveFinalizer(GraphNode Node, string Finalizer) : LifecycleAction(Node);

    /// <summary>The namespace looks empty: check that it is, drop the "kubernetes" finalizer
    /// from spec.finalizers, and delete the namespace.</summary>
    public sealed record FinalizeNamespace(GraphNode Node) : LifecycleAction(Node);
}
