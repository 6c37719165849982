using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class NodePrinter : ITablePrinter
{
    private const string RolePrefix = "node-role.kubernetes.io/";

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
        var ready = n.Array("status.conditions").FirstOrDefault(c => c?["type"]?.ToString() == "Ready")?["status"]?.ToString();
        var status = ready switch { "True" => "Ready", "False" => "NotReady", _ => "Unknown" };
        if (n.Bool("spec.unschedulable"))
        {
            status += ",SchedulingDisabled";
        }

        var roles = n.Object("metadata.labels").Select(l => l.Key).Where(k => k.StartsWith(RolePrefix, StringComparison.Ordinal))
            .Select(k => k[RolePrefix.Length..]).Where(r => r != "").Order(StringComparer.Ordinal).ToList();
        string Address(string type) => Common.OrNone(n.Array("status.addresses").FirstOrDefault(a => a?["type"]?.ToString() == type)?["address"]?.ToString() ?? "");
        return
        [
            n.String("metadata.name"),
            status,
            roles.Count == 0 ? "<none>" : string.Join(",", roles),
            HumanDuration.Age(n, now),
            n.String("status.nodeInfo.kubeletVersion"),
            Address("InternalIP"),
            Address("ExternalIP"),
            Common.OrNone(n.String("status.nodeInfo.osImage")),
            Common.OrNone(n.String("status.nodeInfo.kernelVersion")),
            Common.OrNone(n.String("status.nodeInfo.containerRuntimeVersion")),
        ];
    }
}
