using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class SecretPrinter : ITablePrinter
{
    public string Kind => "Secret";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Type", "string", "The type of the secret"),
        new("Data", "string", "The number of data entries"),
        Common.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var o = new JsonObjectReader(obj);
        return [o.String("metadata.name"), o.String("type"), Common.Of(o.Object("data").Count), HumanDuration.Age(o, now)];
    }
}
