using System.Globalization;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Serialization;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary>
/// The autoscaling/v1 <c>Scale</c> view of a scalable object (deployments, replica sets,
/// stateful sets, replication controllers), as upstream's scaleFromX functions build it:
/// spec.replicas, status.replicas and status.selector as a label selector string. Pure.
/// </summary>
public static class ScaleConversion
{
    public static JsonObject ToScale(ResourceDefinition resource, JsonObject obj)
    {
        var metadata = ObjectStore.Metadata(obj);
        var scaleMetadata = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (metadata[field] is { } value)
            {
                scaleMetadata[field] = value.DeepClone();
            }
        }

        var status = new JsonObject { ["replicas"] = JsonNumbers.From(Int(obj["status"]?["replicas"])) };
        var selector = SelectorString(resource, obj["spec"]?["selector"]);
        if (selector != "")
        {
            status["selector"] = selector;
        }

        return new JsonObject
        {
            ["kind"] = SubresourceKinds.Scale.Kind,
            ["apiVersion"] = SubresourceKinds.Scale.GroupVersion,
            ["metadata"] = scaleMetadata,
            ["spec"] = new JsonObject { ["replicas"] = JsonNumbers.From(Int(obj["spec"]?["replicas"])) },
            ["status"] = status,
        };
    }

    /// <summary>Upstream's selector String(): requirements sorted by key, values sorted.
    /// Replication controllers have a plain label map; the apps kinds a LabelSelector.</summary>
    public static string SelectorString(ResourceDefinition resource, JsonNode? selector)
    {
        if (selector is not JsonObject map)
        {
            return "";
        }

        var requirements = new List<(string Key, string Text)>();
        var matchLabels = resource.Kind == "ReplicationController" ? map : map["matchLabels"] as JsonObject;
        foreach (var (key, value) in matchLabels ?? [])
        {
            requirements.Add((key, $"{key}={value}"));
        }

        if (resource.Kind != "ReplicationController")
        {
            foreach (var expression in (map["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var key = expression["key"]?.ToString() ?? "";
                var values = (expression["values"] as JsonArray ?? []).Select(v => v?.ToString() ?? "").Order(StringComparer.Ordinal);
                var text = expression["operator"]?.ToString() switch
                {
                    "In" => $"{key} in ({string.Join(',', values)})",
                    "NotIn" => $"{key} notin ({string.Join(',', values)})",
                    "Exists" => key,
                    "DoesNotExist" => "!" + key,
                    var op => throw new InvalidDataException($"stored selector has an unknown operator \"{op}\""),
                };
                requirements.Add((key, text));
            }
        }

        return string.Join(',', requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
    }

    /// <summary>The replicas a Scale body asks for, or the field errors that refuse it.</summary>
    public static long? RequestedReplicas(JsonObject scale, List<FieldError> errors)
    {
        var node = scale["spec"]?["replicas"];
        if (node is null)
        {
            return 0;
        }

        if (node is not JsonValue value || !value.TryGetValue<long>(out var replicas))
        {
            errors.Add(new FieldError("spec.replicas", "Invalid value", $"{node.ToJsonString()}: must be an integer"));
            return null;
        }

        if (replicas < 0)
        {
            errors.Add(new FieldError("spec.replicas", "Invalid value", $"{replicas.ToString(CultureInfo.InvariantCulture)}: must be greater than or equal to 0"));
            return null;
        }

        if (replicas > int.MaxValue)
        {
            errors.Add(new FieldError("spec.replicas", "Invalid value", $"{replicas.ToString(CultureInfo.InvariantCulture)}: must be no more than {int.MaxValue}"));
            return null;
        }

        return replicas;
    }

    // Stored and decoded numbers read as any numeric type (JsonNumbers); the Scale's are int32.
    private static int Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
}
