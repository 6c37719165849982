using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>Small helpers shared by printers.</summary>
internal static class Common
{
    public static JsonNode? Of(string value) => JsonValue.Create(value);

    public static JsonNode? Of(long value) => JsonValue.Create(value);

    public static TableColumn Name { get; } = new("Name", "string", "Name must be unique within a namespace.", Format: "name");

    public static TableColumn Age { get; } = new("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created.");

    public static TableColumn Containers { get; } = new("Containers", "string", "Names of each container in the template.", 1);

    public static TableColumn Images { get; } = new("Images", "string", "Images referenced by each container in the template.", 1);

    /// <summary>"&lt;none&gt;" for empty values, as kubectl prints them.</summary>
    public static string OrNone(string value) => string.IsNullOrEmpty(value) ? "<none>" : value;

    /// <summary>Upstream's layoutContainerCells: names and images, comma separated.</summary>
    public static (string Names, string Images) ContainerCells(JsonArray containers) =>
        (string.Join(",", containers.Select(c => (c as JsonObject)?["name"]?.ToString() ?? "")),
         string.Join(",", containers.Select(c => (c as JsonObject)?["image"]?.ToString() ?? "")));

    /// <summary>Upstream's translateTimestampSince: "&lt;unknown&gt;" for a missing time.</summary>
    public static string Since(DateTimeOffset? time, DateTimeOffset now) =>
        time is { } t ? HumanDuration.Format(now - t) : "<unknown>";

    /// <summary>"True"/"False" for a set bool, "&lt;unset&gt;" otherwise (upstream's printBoolPtr).</summary>
    public static string BoolPointer(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<bool>(out var b) ? (b ? "True" : "False") : "<unset>";

    /// <summary>Whether the first condition of that type has status True (upstream's hasJobCondition).</summary>
    public static bool ConditionTrue(JsonArray conditions, string type) =>
        conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == type)?["status"]?.ToString() == "True";

    /// <summary>A list cut to <paramref name="max"/> entries, then " + N more..." (upstream's listWithMoreString).</summary>
    public static string ListWithMore(IReadOnlyList<string> all, int max, string empty)
    {
        if (all.Count == 0)
        {
            return empty;
        }

        var shown = string.Join(",", all.Take(max));
        return all.Count > max ? $"{shown} + {all.Count - max} more..." : shown;
    }
}
