using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class ServiceAccountPrinter : ITablePrinter
{
    public string Kind => "ServiceAccount";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Secrets", "string", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
        Common.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var o = new JsonObjectReader(obj);
        return [o.String("metadata.name"), Common.Of(o.Array("secrets").Count), HumanDuration.Age(o, now)];
    }
}
