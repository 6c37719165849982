using k8s.Models;

namespace LiteKube.Agent.Registration;

/// <summary>The node's heartbeat: a Lease named after the node in kube-node-lease, owned by the
/// Node (so it goes when the Node is deleted), renewed every few seconds.</summary>
public static class NodeLeaseManifest
{
    public const string Namespace = "kube-node-lease";

    public static V1Lease New(NodeRegistrationOptions options, V1Node owner, DateTime now) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta
        {
            Name = options.NodeName,
            NamespaceProperty = Namespace,
            OwnerReferences = [OwnedBy(owner)],
        },
        Spec = Renewed(null, options, now),
    };

    /// <summary>The owner references a renewal writes, or null when the Lease already names
    /// <paramref name="node"/>. A Node deleted and registered again has a new uid: a Lease still
    /// naming the old one would be taken by the garbage collector, and the node would go without
    /// a heartbeat until the round after.</summary>
    public static IList<V1OwnerReference>? Reowned(V1Lease lease, V1Node node) =>
        lease.Metadata.OwnerReferences is [{ Kind: "Node" } only] && only.Uid == node.Metadata.Uid && only.Name == node.Metadata.Name
            ? null
            : [OwnedBy(node)];

    private static V1OwnerReference OwnedBy(V1Node node) =>
        new() { ApiVersion = "v1", Kind = "Node", Name = node.Metadata.Name, Uid = node.Metadata.Uid };

    /// <summary>The spec after a renewal at <paramref name="now"/>.</summary>
    public static V1LeaseSpec Renewed(V1LeaseSpec? current, NodeRegistrationOptions options, DateTime now) => new()
    {
        HolderIdentity = options.NodeName,
        LeaseDurationSeconds = options.LeaseDurationSeconds,
        AcquireTime = current?.AcquireTime,
        LeaseTransitions = current?.LeaseTransitions,
        RenewTime = now,
    };
}
