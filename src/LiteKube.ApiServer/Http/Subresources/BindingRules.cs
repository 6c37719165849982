using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary>Upstream's pod binding rules (ValidatePodBinding, setPodHostAndAnnotations). Pure.</summary>
public static class BindingRules
{
    public static List<FieldError> Validate(JsonObject binding)
    {
        var errors = new List<FieldError>();
        var kind = binding["target"]?["kind"]?.ToString() ?? "";
        if (kind is not ("" or "Node"))
        {
            errors.Add(new FieldError("target.kind", "Unsupported value", $"\"{kind}\": supported values: \"Node\", \"<empty>\""));
        }

        if (string.IsNullOrEmpty(binding["target"]?["name"]?.ToString()))
        {
            errors.Add(new FieldError("target.name", "Required value", ""));
        }

        return errors;
    }

    /// <summary>Why the pod cannot be bound now, or null.</summary>
    public static string? Refusal(JsonObject pod, string? wantedUid)
    {
        var metadata = ObjectStore.Metadata(pod);
        var name = metadata["name"]?.ToString();
        if (!string.IsNullOrEmpty(wantedUid) && wantedUid != metadata["uid"]?.ToString())
        {
            return $"Precondition failed: UID in precondition: {wantedUid}, UID in object meta: {metadata["uid"]}";
        }

        if (metadata["deletionTimestamp"] is not null)
        {
            return $"pod {name} is being deleted, cannot be assigned to a host";
        }

        var nodeName = pod["spec"]?["nodeName"]?.ToString();
        if (!string.IsNullOrEmpty(nodeName))
        {
            return $"pod {name} is already assigned to node \"{nodeName}\"";
        }

        if (pod["spec"]?["schedulingGates"] is JsonArray { Count: > 0 })
        {
            return $"pod {name} has non-empty .spec.schedulingGates";
        }

        return null;
    }

    /// <summary>Sets the node, adds the binding's annotations and marks the pod scheduled.</summary>
    public static void Bind(JsonObject pod, string node, JsonObject? annotations, string now)
    {
        var spec = pod["spec"] as JsonObject ?? [];
        pod["spec"] = spec;
        spec["nodeName"] = node;
        if (annotations is { Count: > 0 })
        {
            var metadata = ObjectStore.Metadata(pod);
            var target = metadata["annotations"] as JsonObject ?? [];
            metadata["annotations"] = target;
            foreach (var (key, value) in annotations)
            {
                target[key] = value?.DeepClone();
            }
        }

        var status = pod["status"] as JsonObject ?? [];
        pod["status"] = status;
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        var scheduled = conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == "PodScheduled");
        if (scheduled is null)
        {
            conditions.Add(new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = now });
        }
        else if (scheduled["status"]?.ToString() != "True")
        {
            scheduled["status"] = "True";
            scheduled["lastTransitionTime"] = now;
            scheduled.Remove("reason");
            scheduled.Remove("message");
        }
    }
}
