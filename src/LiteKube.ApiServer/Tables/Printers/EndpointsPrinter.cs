using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>Endpoints: the first three ip:port pairs, then " + N more...".</summary>
public sealed class EndpointsPrinter : ITablePrinter
{
    private const int Max = 3;

    public string Kind => "Endpoints";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Endpoints", "string", "The set of all endpoints is the union of all subsets."),
        Common.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var o = new JsonObjectReader(obj);
        return [o.String("metadata.name"), Format(o.Array("subsets")), HumanDuration.Age(o, now)];
    }

    private static string Format(JsonArray subsets)
    {
        if (subsets.Count == 0)
        {
            return "<none>";
        }

        var list = new List<string>();
        var count = 0;
        foreach (var subset in subsets.OfType<JsonObject>())
        {
            var s = new JsonObjectReader(subset);
            var ips = s.Array("addresses").Select(a => (a as JsonObject)?["ip"]?.ToString() ?? "").ToList();
            var ports = s.Array("ports");
            if (ports.Count == 0)
            {
                // Headless services may have no ports.
                count += ips.Count;
                list.AddRange(ips.Take(Max - list.Count));
                continue;
            }

            foreach (var port in ports)
            {
                count += ips.Count;
                var number = (port as JsonObject)?["port"]?.ToString() ?? "0";
                list.AddRange(ips.Take(Max - list.Count).Select(ip => ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]:{number}" : $"{ip}:{number}"));
            }
        }

        var shown = string.Join(",", list);
        return count > Max ? $"{shown} + {count - Max} more..." : shown;
    }
}
