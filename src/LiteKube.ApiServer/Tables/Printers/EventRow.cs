using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>The fields upstream's event printer reads, in the shape of the internal Event type
/// that both core/v1 and events.k8s.io/v1 events convert to; so both print alike.</summary>
internal sealed record EventRow(
    string Name,
    string Type,
    string Reason,
    string Message,
    string InvolvedKind,
    string InvolvedName,
    string FieldPath,
    string SourceComponent,
    string SourceHost,
    string ReportingController,
    string ReportingInstance,
    DateTimeOffset? FirstTimestamp,
    DateTimeOffset? LastTimestamp,
    DateTimeOffset? EventTime,
    long Count,
    JsonObject? Series)
{
    public static IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
        new("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
        new("Reason", "string", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        new("Object", "string", "The object that this event is about."),
        new("Subobject", "string", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].", 1),
        new("Source", "string", "The component reporting this event. Should be a short machine understandable string.", 1),
        new("Message", "string", "A human-readable description of the status of this operation."),
        new("First Seen", "string", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", 1),
        new("Count", "string", "The number of times this event has occurred.", 1),
        new("Name", "string", "Name must be unique within a namespace.", 1, "name"),
    ];

    public IReadOnlyList<JsonNode?> Cells(DateTimeOffset now)
    {
        var first = FirstTimestamp is { } f ? HumanDuration.Format(now - f) : Common.Since(EventTime, now);
        var last = LastTimestamp is { } l ? HumanDuration.Format(now - l) : first;
        var count = Count;
        if (Series is not null)
        {
            var series = new JsonObjectReader(Series);
            last = Common.Since(series.Time("lastObservedTime"), now);
            count = series.Long("count");
        }
        else if (count == 0)
        {
            // Singleton events carry no count in the new API.
            count = 1;
        }

        var kind = InvolvedKind.ToLowerInvariant();
        var component = SourceComponent is { Length: > 0 } ? SourceComponent : ReportingController;
        var host = SourceHost is { Length: > 0 } ? SourceHost : ReportingInstance;
        return
        [
            last,
            Type,
            Reason,
            InvolvedName.Length > 0 ? $"{kind}/{InvolvedName}" : kind,
            FieldPath,
            host.Length == 0 ? component : $"{component}, {host}",
            Message.Trim(),
            first,
            Common.Of(count),
            Name,
        ];
    }
}
