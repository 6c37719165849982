using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Admission;

/// <summary>
/// Upstream's ValidatePodUpdate: a pod's spec is fixed once created, except container and init
/// container images, activeDeadlineSeconds (set, or lowered), tolerations (additions only),
/// schedulingGates, and terminationGracePeriodSeconds going from negative to 1. So the
/// ServiceAccount, the token volume and its mounts that admission set on create stay as they
/// are. Applies to updates through PUT, patch and apply; the binding and status subresources
/// change what they own and do not come here.
/// </summary>
public static class PodUpdateRules
{
    public const string Updatable =
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),"
        + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    /// <summary>Throws a 422 Invalid Status when <paramref name="updated"/> changes what it may not.</summary>
    public static void Check(ResourceDefinition resource, JsonObject current, JsonObject updated)
    {
        if (resource.Group != "" || resource.Kind != "Pod")
        {
            return;
        }

        var errors = Validate(current["spec"] as JsonObject ?? [], updated["spec"] as JsonObject ?? []);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(resource, ObjectStore.Metadata(current)["name"]?.ToString() ?? "", errors);
        }
    }

    public static List<FieldError> Validate(JsonObject oldSpec, JsonObject newSpec)
    {
        var errors = new List<FieldError>();
        var munged = newSpec.DeepClone().AsObject();
        foreach (var list in new[] { "containers", "initContainers" })
        {
            var olds = oldSpec[list] as JsonArray ?? [];
            var news = munged[list] as JsonArray ?? [];
            for (var i = 0; i < Math.Min(olds.Count, news.Count); i++)
            {
                if (news[i] is JsonObject container)
                {
                    container["image"] = olds[i]?["image"]?.DeepClone();
                }
            }
        }

        CheckActiveDeadline(oldSpec, newSpec, errors);
        CheckTolerations(oldSpec, newSpec, errors);
        Keep(oldSpec, munged, "activeDeadlineSeconds");
        Keep(oldSpec, munged, "tolerations");
        Keep(oldSpec, munged, "schedulingGates");
        if (Number(oldSpec["terminationGracePeriodSeconds"]) < 0 && Number(munged["terminationGracePeriodSeconds"]) == 1)
        {
            Keep(oldSpec, munged, "terminationGracePeriodSeconds");
        }

        // Fields the client left out of a PUT body were defaulted again by admission; containers
        // are compared with their images put back, the rest as stored.
        var changed = oldSpec.Select(p => p.Key).Union(munged.Select(p => p.Key))
            .Where(key => !JsonNode.DeepEquals(oldSpec[key], munged[key]))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (changed.Count > 0)
        {
            errors.Add(new FieldError("spec", "Forbidden",
                $"pod updates may not change fields other than {Updatable}; changed: {string.Join(", ", changed.Select(c => "spec." + c))}"));
        }

        return errors;
    }

    private static void CheckActiveDeadline(JsonObject oldSpec, JsonObject newSpec, List<FieldError> errors)
    {
        var old = Number(oldSpec["activeDeadlineSeconds"]);
        var value = Number(newSpec["activeDeadlineSeconds"]);
        if (old is null || value is null || value <= old)
        {
            if (old is not null && value is null)
            {
                errors.Add(new FieldError("spec.activeDeadlineSeconds", "Invalid value", "null: must not update from a positive integer to nil value"));
            }

            return;
        }

        errors.Add(new FieldError("spec.activeDeadlineSeconds", "Invalid value", $"{value}: must be less than or equal to previous value"));
    }

    private static void CheckTolerations(JsonObject oldSpec, JsonObject newSpec, List<FieldError> errors)
    {
        var news = (newSpec["tolerations"] as JsonArray ?? []).ToList();
        foreach (var old in oldSpec["tolerations"] as JsonArray ?? [])
        {
            if (!news.Any(n => JsonNode.DeepEquals(n, old)))
            {
                errors.Add(new FieldError("spec.tolerations", "Forbidden", "existing toleration can not be modified except its tolerationSeconds"));
                return;
            }
        }
    }

    private static void Keep(JsonObject from, JsonObject to, string field)
    {
        to.Remove(field);
        if (from[field] is { } value)
        {
            to[field] = value.DeepClone();
        }
    }

    /// <summary>An integer however it was decoded (JSON, YAML and protobuf bodies give different CLR types).</summary>
    private static long? Number(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<double>(out var d) && d == Math.Floor(d) => (long)d,
        _ => null,
    };
}
