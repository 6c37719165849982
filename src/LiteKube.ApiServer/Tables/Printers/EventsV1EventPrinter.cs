using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>events.k8s.io/v1 Event: upstream stores both event APIs as one internal type, so the
/// columns are core's, read from the new field names (regarding, note, deprecated*).</summary>
public sealed class EventsV1EventPrinter : ITablePrinter
{
    public string Group => "events.k8s.io";

    public string Kind => "Event";

    public IReadOnlyList<TableColumn> Columns => EventRow.Columns;

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var e = new JsonObjectReader(obj);
        return new EventRow(
            e.String("metadata.name"),
            e.String("type"),
            e.String("reason"),
            e.String("note"),
            e.String("regarding.kind"),
            e.String("regarding.name"),
            e.String("regarding.fieldPath"),
            e.String("deprecatedSource.component"),
            e.String("deprecatedSource.host"),
            e.String("reportingController"),
            e.String("reportingInstance"),
            e.Time("deprecatedFirstTimestamp"),
            e.Time("deprecatedLastTimestamp"),
            e.Time("eventTime"),
            e.Long("deprecatedCount"),
            e.Node("series") as JsonObject).Cells(now);
    }
}
