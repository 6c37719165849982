using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class ConfigMapPrinter : ITablePrinter
{
    public string Kind => "ConfigMap";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Data", "string", "Number of data entries (data and binaryData)"),
        Common.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var o = new JsonObjectReader(obj);
        return [o.String("metadata.name"), Common.Of(o.Object("data").Count + o.Object("binaryData").Count), HumanDuration.Age(o, now)];
    }
}
