using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class NamespacePrinter : ITablePrinter
{
    public string Kind => "Namespace";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Status", "string", "The status of the namespace"),
        Common.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var o = new JsonObjectReader(obj);
        return [o.String("metadata.name"), o.String("status.phase"), HumanDuration.Age(o, now)];
    }
}
