using System.Globalization;
using k8s.Models;

namespace LiteKube.Agent.Registration;

/// <summary>
/// The Node object a server registers for itself, as a pure function of its options, its
/// machine and the time: what kubelet would report (labels, addresses, capacity, system info,
/// conditions). Merging keeps what others own: labels and taints a person added, spec fields the
/// API or controllers set, condition transition times that did not change.
/// </summary>
public static class NodeManifest
{
    public const string ControlPlaneRole = "node-role.kubernetes.io/control-plane";

    public static V1Node New(NodeRegistrationOptions options, MachineFacts machine, DateTime now) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = options.NodeName, Labels = Labels(options, machine) },
        Spec = new V1NodeSpec(),
        Status = Status(options, machine, previous: null, now),
    };

    /// <summary>The labels this node always carries; other labels are left alone.</summary>
    public static IDictionary<string, string> Labels(NodeRegistrationOptions options, MachineFacts machine)
    {
        var labels = new Dictionary<string, string>
        {
            ["kubernetes.io/hostname"] = options.NodeName,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = machine.Architecture,
            // Deprecated but still set by kubelet 1.33; old node selectors use them.
            ["beta.kubernetes.io/os"] = "linux",
            ["beta.kubernetes.io/arch"] = machine.Architecture,
        };
        if (options.ControlPlane)
        {
            labels[ControlPlaneRole] = "true";
        }
        return labels;
    }

    /// <summary>Labels to add or correct on an existing node, or null when it has them all.</summary>
    public static IDictionary<string, string>? MissingLabels(V1Node existing, NodeRegistrationOptions options, MachineFacts machine)
    {
        var current = existing.Metadata?.Labels ?? new Dictionary<string, string>();
        var missing = Labels(options, machine)
            .Where(l => !current.TryGetValue(l.Key, out var value) || value != l.Value)
            .ToDictionary(l => l.Key, l => l.Value);
        return missing.Count == 0 ? null : missing;
    }

    /// <summary>The status to report now. Condition transition times carry over from
    /// <paramref name="previous"/> when the condition's status did not change.</summary>
    public static V1NodeStatus Status(NodeRegistrationOptions options, MachineFacts machine, V1NodeStatus? previous, DateTime now)
    {
        var capacity = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(machine.Cpus.ToString(CultureInfo.InvariantCulture)),
            ["memory"] = new($"{machine.MemoryBytes / 1024}Ki"),
            ["ephemeral-storage"] = new($"{machine.EphemeralStorageBytes / 1024}Ki"),
            ["pods"] = new(options.MaxPods.ToString(CultureInfo.InvariantCulture)),
        };
        return new V1NodeStatus
        {
            Capacity = capacity,
            // Nothing is reserved for the system yet, as with kubelet's defaults.
            Allocatable = new Dictionary<string, ResourceQuantity>(capacity),
            Addresses =
            [
                new V1NodeAddress { Address = options.InternalIp.ToString(), Type = "InternalIP" },
                new V1NodeAddress { Address = options.NodeName, Type = "Hostname" },
            ],
            Conditions = Conditions(previous?.Conditions, now),
            DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = 10250 } },
            NodeInfo = new V1NodeSystemInfo
            {
                Architecture = machine.Architecture,
                BootID = machine.BootId,
                ContainerRuntimeVersion = "",
                KernelVersion = machine.KernelVersion,
                KubeProxyVersion = "",
                KubeletVersion = options.Version,
                MachineID = machine.MachineId,
                OperatingSystem = "linux",
                OsImage = machine.OsImage,
                SystemUUID = machine.MachineId,
            },
        };
    }

    /// <summary>True when <paramref name="desired"/> says something <paramref name="stored"/> does
    /// not, heartbeat times aside: only then (or when a report is due) is a write worth it.</summary>
    public static bool Differs(V1NodeStatus? stored, V1NodeStatus desired)
    {
        if (stored is null)
        {
            return true;
        }

        static string Key(V1NodeStatus s) => string.Join('|',
            string.Join(',', (s.Capacity ?? new Dictionary<string, ResourceQuantity>()).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")),
            string.Join(',', (s.Allocatable ?? new Dictionary<string, ResourceQuantity>()).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")),
            string.Join(',', (s.Addresses ?? []).Select(a => $"{a.Type}={a.Address}")),
            string.Join(',', (s.Conditions ?? []).OrderBy(c => c.Type, StringComparer.Ordinal).Select(c => $"{c.Type}={c.Status}/{c.Reason}")),
            s.NodeInfo?.KubeletVersion, s.NodeInfo?.OsImage, s.NodeInfo?.KernelVersion, s.NodeInfo?.BootID);
        return Key(stored) != Key(desired);
    }

    /// <summary>The status of a node that left the cluster (<c>litekube leave</c>): NotReady with
    /// reason NodeLeft, everything else as it was. Nobody renews it any more.</summary>
    public static V1NodeStatus Left(V1NodeStatus? status, DateTime now)
    {
        var result = status ?? new V1NodeStatus();
        var conditions = (result.Conditions ?? []).Where(c => c.Type != "Ready").ToList();
        var before = result.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        conditions.Add(new V1NodeCondition
        {
            Type = "Ready",
            Status = "False",
            Reason = "NodeLeft",
            Message = "the node left the cluster (litekube leave)",
            LastHeartbeatTime = now,
            LastTransitionTime = before?.Status == "False" && before.LastTransitionTime is { } t ? t : now,
        });
        result.Conditions = conditions;
        return result;
    }

    private static List<V1NodeCondition> Conditions(IList<V1NodeCondition>? previous, DateTime now)
    {
        // The server reports what it knows of itself: it is running and posting. Pressure
        // conditions come with the node agent's eviction manager; until then "no pressure" is
        // stated as kubelet states it with eviction thresholds not crossed.
        (string Type, string Status, string Reason, string Message)[] current =
        [
            ("MemoryPressure", "False", "KubeletHasSufficientMemory", "litekube has sufficient memory available"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "litekube has no disk pressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID", "litekube has sufficient PID available"),
            ("Ready", "True", "KubeletReady", "litekube is posting ready status"),
        ];
        return current.Select(c =>
        {
            var before = previous?.FirstOrDefault(p => p.Type == c.Type);
            var transition = before is not null && before.Status == c.Status && before.LastTransitionTime is { } t ? t : now;
            return new V1NodeCondition
            {
                Type = c.Type,
                Status = c.Status,
                LastHeartbeatTime = now,
                LastTransitionTime = transition,
                Reason = c.Reason,
                Message = c.Message,
            };
        }).ToList();
    }
}
