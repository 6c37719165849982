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
        var type = s.String("spec.type", "ClusterIP");
        var ports = s.Array("spec.ports").Select(p =>
        {
            var port = new JsonObjectReader(p as JsonObject ?? []);
            var protocol = port.String("protocol", "TCP");
            return port.Long("nodePort") is var node and > 0 ? $"{port.Long("port")}:{node}/{protocol}" : $"{port.Long("port")}/{protocol}";
        }).ToList();
        var selector = s.Object("spec.selector");
        return
        [
            s.String("metadata.name"),
            type,
            Common.OrNone(s.String("spec.clusterIP")),
            ExternalIp(s, type),
            ports.Count == 0 ? "<none>" : string.Join(",", ports),
            HumanDuration.Age(s, now),
            selector.Count == 0 ? "<none>" : Selector.Format(selector),
        ];
    }

    private static string ExternalIp(JsonObjectReader s, string type)
    {
        var external = s.Array("spec.externalIPs").Select(ip => ip?.ToString()).ToList();
        switch (type)
        {
            case "ExternalName":
                return s.String("spec.externalName");
            case "LoadBalancer":
                var ingress = s.Array("status.loadBalancer.ingress").Select(i => i?["ip"]?.ToString() ?? i?["hostname"]?.ToString()).ToList();
                external.AddRange(ingress);
                return external.Count == 0 ? "<pending>" : string.Join(",", external);
            default:
                return external.Count == 0 ? "<none>" : string.Join(",", external);
        }
    }
}
