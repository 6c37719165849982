using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Registry.Lifecycle;

/// <summary>
/// The rules every write of an existing object obeys, whoever makes it (update, patch, status,
/// the reconcilers), applied by <see cref="ObjectStore"/>: the deletion fields belong to the
/// server, no finalizer may be added to an object being deleted, and an object being deleted
/// whose last finalizer goes away is removed instead of written (upstream's BeforeUpdate,
/// ValidateObjectMetaUpdate and ShouldDeleteDuringUpdate).
/// </summary>
public static class FinalizerRules
{
    /// <summary>Keeps the stored deletionTimestamp and deletionGracePeriodSeconds, whatever the
    /// writer sent, and refuses new finalizers on an object being deleted (422).</summary>
    public static void Guard(ResourceDefinition resource, JsonObject current, JsonObject updated)
    {
        var before = ObjectStore.Metadata(current);
        var after = ObjectStore.Metadata(updated);
        var errors = new List<FieldError>();
        if (after["deletionGracePeriodSeconds"] is { } sentGrace && !JsonNode.DeepEquals(sentGrace, before["deletionGracePeriodSeconds"]))
        {
            errors.Add(new FieldError("metadata.deletionGracePeriodSeconds", "Invalid value", $"{sentGrace.ToJsonString()}: field is immutable"));
        }

        foreach (var field in new[] { "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            after.Remove(field);
            if (before[field] is { } value)
            {
                after[field] = value.DeepClone();
            }
        }

        if (resource.Group == "" && resource.Kind == "Namespace")
        {
            KeepNamespaceLifecycle(current, updated);
        }

        if (before["deletionTimestamp"] is not null)
        {
            var old = DeletionRules.Finalizers(before).ToHashSet(StringComparer.Ordinal);
            var added = DeletionRules.Finalizers(after).Where(f => !old.Contains(f)).Distinct().Order(StringComparer.Ordinal).ToList();
            if (added.Count > 0)
            {
                errors.Add(new FieldError("metadata.finalizers", "Forbidden",
                    $"no new finalizers can be added if the object is being deleted, found new finalizers []string{{{string.Join(", ", added.Select(f => $"\"{f}\""))}}}"));
            }
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(resource, after["name"]?.ToString() ?? "", errors);
        }
    }

    /// <summary>spec.finalizers of a namespace change only when the lifecycle reconciler
    /// finalizes it (upstream's /finalize); a namespace being deleted stays Terminating.</summary>
    private static void KeepNamespaceLifecycle(JsonObject current, JsonObject updated)
    {
        if (updated["spec"] is not JsonObject spec)
        {
            spec = [];
            updated["spec"] = spec;
        }

        spec.Remove("finalizers");
        if (current["spec"]?["finalizers"] is { } finalizers)
        {
            spec["finalizers"] = finalizers.DeepClone();
        }

        if (ObjectStore.Metadata(current)["deletionTimestamp"] is not null)
        {
            if (updated["status"] is not JsonObject status)
            {
                status = [];
                updated["status"] = status;
            }

            status["phase"] = "Terminating";
        }
    }

    /// <summary>True when the write empties the finalizers of an object whose deletion only
    /// waited for them (deletionTimestamp set, no grace period pending): it is removed instead.</summary>
    public static bool RemovesOnWrite(ResourceDefinition resource, JsonObject current, JsonObject updated)
    {
        var before = ObjectStore.Metadata(current);
        var after = ObjectStore.Metadata(updated);
        if (DeletionRules.Finalizers(after).Count > 0 || DeletionRules.Finalizers(before).Count == 0 || before["deletionTimestamp"] is null)
        {
            return false;
        }

        if (before["deletionGracePeriodSeconds"] is JsonValue grace && grace.TryGetValue<long>(out var seconds) && seconds != 0)
        {
            return false;
        }

        // A namespace also waits for its content (spec.finalizers).
        return !(resource.Group == "" && resource.Kind == "Namespace" && (updated["spec"]?["finalizers"] as JsonArray)?.Count > 0);
    }
}
