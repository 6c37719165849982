using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>core/v1 Event: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE (wide adds SUBOBJECT, SOURCE,
/// FIRST SEEN, COUNT, NAME).</summary>
public sealed class EventPrinter : ITablePrinter
{
    public string Kind => "Event";

    public IReadOnlyList<TableColumn> Columns => EventRow.Columns;

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var e = new JsonObjectReader(obj);
        return new EventRow(
            e.String("metadata.name"),
            e.String("type"),
            e.String("reason"),
            e.String("message"),
            e.String("involvedObject.kind"),
            e.String("involvedObject.name"),
            e.String("involvedObject.fieldPath"),
            e.String("source.component"),
            e.String("source.host"),
            e.String("reportingComponent"),
            e.String("reportingInstance"),
            e.Time("firstTimestamp"),
            e.Time("lastTimestamp"),
            e.Time("eventTime"),
            e.Long("count"),
            e.Node("series") as JsonObject).Cells(now);
    }
}
