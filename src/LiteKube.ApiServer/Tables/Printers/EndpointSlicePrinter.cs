using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>EndpointSlice: the first three ports and addresses, "&lt;unset&gt;" when there are none.</summary>
public sealed class EndpointSlicePrinter : ITablePrinter
{
    private const int Max = 3;

    public string Group => "discovery.k8s.io";

    public string Kind => "EndpointSlice";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("AddressType", "string", "addressType specifies the type of address carried by this EndpointSlice."),
        new("Ports", "string", "ports specifies the list of network ports exposed by each endpoint in this slice."),
        new("Endpoints", "string", "endpoints is a list of unique endpoints in this slice."),
        Common.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var s = new JsonObjectReader(obj);
        var ports = s.Array("ports").Select(p =>
            (p as JsonObject)?["port"] is JsonValue port ? port.ToString()
            : (p as JsonObject)?["name"] is JsonValue name ? name.ToString()
            : "*").ToList();
        var addresses = s.Array("endpoints").SelectMany(e => (e as JsonObject)?["addresses"] as JsonArray ?? []).Select(a => a?.ToString() ?? "").ToList();
        return
        [
            s.String("metadata.name"),
            s.String("addressType"),
            Common.ListWithMore(ports, Max, "<unset>"),
            Common.ListWithMore(addresses, Max, "<unset>"),
            HumanDuration.Age(s, now),
        ];
    }
}
