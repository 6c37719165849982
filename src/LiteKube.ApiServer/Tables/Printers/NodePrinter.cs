using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class NodePrinter : ITablePrinter
{
    private const string RolePrefix = "node-role.kubernetes.io/";
    private const string LegacyRoleLabel = "kubernetes.io/role";

    public string Kind => "Node";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Status", "string", "The status of the node"),
        new("Roles", "string", "The roles of the node"),
        Common.Age,
        new("Version", "string", "Kubelet Version reported by the node."),
        new("Internal-IP", "string", "List of addresses reachable to the node.", 1),
        new("External-IP", "string", "List of addresses reachable to the node.", 1),
        new("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
        new("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
        new("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var n = new JsonObjectReader(obj);
        var ready = n.Array("status.conditions").OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == "Ready");
        var status = ready is null ? "Unknown" : ready["status"]?.ToString() == "True" ? "Ready" : "NotReady";
        if (n.Bool("spec.unschedulable"))
        {
            status += ",SchedulingDisabled";
        }

        var roles = Roles(n.Object("metadata.labels"));
        string Address(string type) => n.Array("status.addresses").OfType<JsonObject>().FirstOrDefault(a => a["type"]?.ToString() == type)?["address"]?.ToString() ?? "<none>";
        string OrUnknown(string path) => n.String(path) is { Length: > 0 } v ? v : "<unknown>";
        return
        [
            n.String("metadata.name"),
            status,
            roles.Count == 0 ? "<none>" : string.Join(",", roles),
            HumanDuration.Age(n, now),
            n.String("status.nodeInfo.kubeletVersion"),
            Address("InternalIP"),
            Address("ExternalIP"),
            OrUnknown("status.nodeInfo.osImage"),
            OrUnknown("status.nodeInfo.kernelVersion"),
            OrUnknown("status.nodeInfo.containerRuntimeVersion"),
        ];
    }

    /// <summary>Roles from node-role.kubernetes.io/&lt;role&gt; labels and the older kubernetes.io/role=&lt;role&gt;.</summary>
    private static SortedSet<string> Roles(JsonObject labels)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            if (key.StartsWith(RolePrefix, StringComparison.Ordinal) && key.Length > RolePrefix.Length)
            {
                roles.Add(key[RolePrefix.Length..]);
            }
            else if (key == LegacyRoleLabel && value?.ToString() is { Length: > 0 } role)
            {
                roles.Add(role);
            }
        }

        return roles;
    }
}
