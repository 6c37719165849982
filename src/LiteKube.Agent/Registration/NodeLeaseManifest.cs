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
            OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid }],
        },
        Spec = Renewed(null, options, now),
    };

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
