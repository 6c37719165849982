using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>autoscaling/v2 HorizontalPodAutoscaler: TARGETS shows "current/target" for the first two
/// metrics, the current value taken from the status metric at the same position.</summary>
public sealed class HorizontalPodAutoscalerPrinter : ITablePrinter
{
    private const int Max = 2;

    public string Group => "autoscaling";

    public string Kind => "HorizontalPodAutoscaler";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Reference", "string", "reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource."),
        new("Targets", "string", "metrics contains the specifications for which to use to calculate the desired replica count."),
        new("MinPods", "string", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
        new("MaxPods", "string", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."),
        new("Replicas", "string", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
        Common.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var h = new JsonObjectReader(obj);
        return
        [
            h.String("metadata.name"),
            $"{h.String("spec.scaleTargetRef.kind")}/{h.String("spec.scaleTargetRef.name")}",
            Metrics(h.Array("spec.metrics"), h.Array("status.currentMetrics")),
            h.String("spec.minReplicas", "<unset>"),
            Common.Of(h.Long("spec.maxReplicas")),
            Common.Of(h.Long("status.currentReplicas")),
            HumanDuration.Age(h, now),
        ];
    }

    private static string Metrics(JsonArray specs, JsonArray statuses)
    {
        if (specs.Count == 0)
        {
            return "<none>";
        }

        var list = new List<string>();
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = new JsonObjectReader(specs[i] as JsonObject ?? []);
            var status = i < statuses.Count && statuses[i] is JsonObject s ? new JsonObjectReader(s) : (JsonObjectReader?)null;
            list.Add(Metric(spec, status));
        }

        var shown = string.Join(", ", list.Take(Max));
        return list.Count > Max ? $"{shown} + {list.Count - Max} more..." : shown;
    }

    private static string Metric(JsonObjectReader spec, JsonObjectReader? status)
    {
        // The JSON field of each source is its type with a lower-case first letter.
        var type = spec.String("type");
        var field = type.Length == 0 ? "" : char.ToLowerInvariant(type[0]) + type[1..];
        string Current(string path) => status is { } st && st.Node(field) is JsonObject
            ? st.Node($"{field}.current.{path}") is JsonValue v ? v.ToString() : "<nil>"
            : "<unknown>";
        var target = $"{field}.target";
        switch (type)
        {
            case "External" or "Object":
                return spec.Node($"{target}.averageValue") is JsonValue average
                    ? $"{CurrentAverage(status, field)}/{average} (avg)"
                    : $"{Current("value")}/{spec.String($"{target}.value", "<nil>")}";
            case "Pods":
                return $"{Current("averageValue")}/{spec.String($"{target}.averageValue", "<nil>")}";
            case "Resource" or "ContainerResource":
                var name = spec.String($"{field}.name");
                if (spec.Node($"{target}.averageValue") is JsonValue value)
                {
                    return $"{name}: {Current("averageValue")}/{value}";
                }

                var current = status is { } cs && cs.Node($"{field}.current.averageUtilization") is JsonValue u ? $"{u}%" : "<unknown>";
                var utilization = spec.Node($"{target}.averageUtilization") is JsonValue t ? $"{t}%" : "<auto>";
                return $"{name}: {current}/{utilization}";
            default:
                return "<unknown type>";
        }
    }

    /// <summary>Object and External print "&lt;unknown&gt;" unless the status has an average value.</summary>
    private static string CurrentAverage(JsonObjectReader? status, string field) =>
        status is { } s && s.Node($"{field}.current.averageValue") is JsonValue v ? v.ToString() : "<unknown>";
}
