using System.Text.Json.Nodes;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Selectors;

/// <summary>Which fields each kind can be selected by (upstream's field label conversions), and
/// how each reads from an object.</summary>
public static class SupportedFields
{
    private static readonly string[] Common = ["metadata.name", "metadata.namespace"];

    private static readonly Dictionary<string, string[]> ByKind = new()
    {
        ["Pod"] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
        ["Event"] = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        ["Node"] = ["spec.unschedulable"],
        ["Secret"] = ["type"],
        ["Namespace"] = ["status.phase"],
        ["ReplicaSet"] = ["status.replicas"],
        ["ReplicationController"] = ["status.replicas"],
        ["Job"] = ["status.successful"],
    };

    // Fields whose absence reads as a default value rather than "".
    private static readonly Dictionary<string, string> Defaults = new()
    {
        ["spec.unschedulable"] = "false",
        ["spec.hostNetwork"] = "false",
    };

    public static IReadOnlyCollection<string> For(ResourceDefinition resource) =>
        ByKind.TryGetValue(resource.Kind, out var extra) ? [.. Common, .. extra] : Common;

    /// <summary>Every selectable field of an object, read once so that many watchers can filter cheaply.</summary>
    public static IReadOnlyDictionary<string, string> ValuesOf(JsonObject obj, ResourceDefinition resource) =>
        For(resource).ToDictionary(f => f, f => Value(obj, f), StringComparer.Ordinal);

    /// <summary>The string form of a field of an object, "" when absent.</summary>
    public static string Value(JsonObject obj, string field)
    {
        if (field == "source" && obj["source"] is JsonObject source)
        {
            return source["component"]?.ToString() ?? "";
        }

        JsonNode? node = obj;
        foreach (var part in field.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node switch
        {
            null => Defaults.GetValueOrDefault(field, ""),
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
            JsonValue v => v.ToString(),
            _ => node.ToJsonString(),
        };
    }
}
