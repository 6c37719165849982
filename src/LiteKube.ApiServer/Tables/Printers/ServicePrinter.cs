using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class ServicePrinter : ITablePrinter
{
    public string Kind => "Service";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Type", "string", "The type of the service."),
        new("Cluster-IP", "string", "The IP address of the service."),
        new("External-IP", "string", "The external IP address of the service."),
        new("Port(s)", "string", "The ports exposed by the service."),
        Common.Age,
        new("Selector", "string", "Route service traffic to pods with label keys and values matching this selector.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var s = new JsonObjectReader(obj);
        var type = s.String("spec.type");
        var ports = s.Array("spec.ports").Select(p =>
        {
            var port = new JsonObjectReader(p as JsonObject ?? []);
            var protocol = port.String("protocol");
            return port.Long("nodePort") is var node and > 0 ? $"{port.Long("port")}:{node}/{protocol}" : $"{port.Long("port")}/{protocol}";
        }).ToList();
        return
        [
            s.String("metadata.name"),
            type,
            s.Array("spec.clusterIPs").FirstOrDefault()?.ToString() ?? "<none>",
            ExternalIp(s, type),
            ports.Count == 0 ? "<none>" : string.Join(",", ports),
            HumanDuration.Age(s, now),
            Selector.Labels(s.Object("spec.selector")),
        ];
    }

    private static string ExternalIp(JsonObjectReader s, string type)
    {
        var external = s.Array("spec.externalIPs").Select(ip => ip?.ToString() ?? "").ToList();
        switch (type)
        {
            case "ClusterIP" or "NodePort":
                return external.Count == 0 ? "<none>" : string.Join(",", external);
            case "LoadBalancer":
                // The server prints wide, so load balancer addresses are never clipped.
                var ingress = s.Array("status.loadBalancer.ingress")
                    .Select(i => (i as JsonObject)?["ip"]?.ToString() is { Length: > 0 } ip ? ip : (i as JsonObject)?["hostname"]?.ToString() ?? "")
                    .Where(a => a != "").Distinct().Order(StringComparer.Ordinal).ToList();
                var all = ingress.Concat(external).ToList();
                return all.Count == 0 ? "<pending>" : string.Join(",", all);
            case "ExternalName":
                return s.String("spec.externalName");
            default:
                return "<unknown>";
        }
    }
}
