using System.Net;

namespace LiteKube.Agent.Registration;

/// <summary>Who this node is and how it registers; filled by the host from its settings.</summary>
public sealed record NodeRegistrationOptions
{
    public required string NodeName { get; init; }

    /// <summary>The address other nodes reach this one at (the advertise address).</summary>
    public required IPAddress InternalIp { get; init; }

    /// <summary>Reported as nodeInfo.kubeletVersion (the VERSION column of kubectl get nodes).</summary>
    public required string Version { get; init; }

    /// <summary>Adds node-role.kubernetes.io/control-plane, as K3s and kubeadm label servers.</summary>
    public bool ControlPlane { get; init; } = true;

    public int MaxPods { get; init; } = 110;

    /// <summary>How often the Lease in kube-node-lease is renewed (kubelet: 10 s).</summary>
    public TimeSpan RenewInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The Lease's duration: after this without renewal the node counts as gone (kubelet: 40 s).</summary>
    public int LeaseDurationSeconds { get; init; } = 40;

    /// <summary>An unchanged status is still written this often (kubelet's nodeStatusReportFrequency: 5 min).</summary>
    public TimeSpan StatusReportInterval { get; init; } = TimeSpan.FromMinutes(5);
}
