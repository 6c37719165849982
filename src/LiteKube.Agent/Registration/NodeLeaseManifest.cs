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

    /// <summary>Renews <paramref name="lease"/> at <paramref name="now"/> on behalf of
    /// <paramref name="node"/>, and makes it owned by that Node: a Node deleted and registered
    /// again has a new uid, and a Lease still naming the old one would be taken by the garbage
    /// collector, leaving the node without a heartbeat until the round after.</summary>
    public static V1Lease Renew(V1Lease lease, V1Node node, NodeRegistrationOptions options, DateTime now)
    {
        lease.Spec = Renewed(lease.Spec, options, now);
        lease.Metadata.OwnerReferences = [OwnedBy(node)];
        return lease;
    }

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
