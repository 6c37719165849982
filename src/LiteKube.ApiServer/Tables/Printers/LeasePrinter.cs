using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class LeasePrinter : ITablePrinter
{
    public string Group => "coordination.k8s.io";

    public string Kind => "Lease";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Holder", "string", "holderIdentity contains the identity of the holder of a current lease."),
        Common.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var l = new JsonObjectReader(obj);
        return [l.String("metadata.name"), l.String("spec.holderIdentity"), HumanDuration.Age(l, now)];
    }
}
