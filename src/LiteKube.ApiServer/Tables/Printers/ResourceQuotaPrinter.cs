using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>ResourceQuota: "used/hard" per resource, limits.* in LIMIT and the rest in REQUEST.</summary>
public sealed class ResourceQuotaPrinter : ITablePrinter
{
    public string Kind => "ResourceQuota";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
        new("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
        Common.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var q = new JsonObjectReader(obj);
        var used = q.Object("status.used");
        var requests = new List<string>();
        var limits = new List<string>();
        foreach (var (resource, hard) in q.Object("status.hard").OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var pieces = resource.Split('.');
            var target = pieces.Length > 1 && pieces[0] == "limits" ? limits : requests;
            target.Add($"{resource}: {used[resource]?.ToString() ?? "0"}/{hard}");
        }

        return [q.String("metadata.name"), string.Join(", ", requests), string.Join(", ", limits), HumanDuration.Age(q, now)];
    }
}
