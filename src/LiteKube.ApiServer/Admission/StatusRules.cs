using System.Text.Json.Nodes;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Admission;

/// <summary>
/// Upstream's status strategies (PrepareForCreate / PrepareForUpdate of each kind with a
/// <c>status</c> subresource): the main resource never writes status, the <c>/status</c>
/// subresource writes nothing but status (and the metadata the kind lets it touch). Pure.
/// </summary>
public static class StatusRules
{
    /// <summary>Whether the resource splits its status off into a subresource.</summary>
    public static bool HasStatus(ResourceDefinition resource) => resource.Subresources.Contains("status");

    /// <summary>On create, the status is the server's: upstream clears it (Node excepted, whose
    /// agent registers with its status) and sets the kinds' initial phase.</summary>
    public static void ResetOnCreate(ResourceDefinition resource, JsonObject obj)
    {
        if (!HasStatus(resource) || resource.Kind == "Node")
        {
            return;
        }

        obj["status"] = resource.Kind switch
        {
            "Namespace" => new JsonObject { ["phase"] = "Active" },
            "PersistentVolume" => new JsonObject { ["phase"] = "Pending" },
            "PersistentVolumeClaim" => new JsonObject { ["phase"] = "Pending" },
            "Service" => new JsonObject { ["loadBalancer"] = new JsonObject() },
            // PodStrategy sets phase and QoS class in admission.
            _ => new JsonObject(),
        };
    }

    /// <summary>An update (PUT or PATCH) of the main resource keeps the stored status.</summary>
    public static void KeepStatusOnMainUpdate(ResourceDefinition resource, JsonObject current, JsonObject updated)
    {
        if (!HasStatus(resource))
        {
            return;
        }

        if (current["status"] is { } status)
        {
            updated["status"] = status.DeepClone();
        }
        else
        {
            updated.Remove("status");
        }
    }

    /// <summary>A write through <c>/status</c>: <paramref name="updated"/> keeps the stored spec,
    /// and the metadata fields the kind's status strategy protects.</summary>
    public static void KeepAllButStatus(ResourceDefinition resource, JsonObject current, JsonObject updated)
    {
        CopyField(current, updated, "spec");
        var metadata = updated["metadata"] as JsonObject ?? [];
        updated["metadata"] = metadata;
        var stored = current["metadata"] as JsonObject ?? [];
        foreach (var field in ProtectedMetadata(resource.Kind))
        {
            CopyField(stored, metadata, field);
        }
    }

    // Deployments keep their labels (the status writer is the controller, not the owner);
    // pods keep owner references, which old kubelets used to corrupt.
    private static string[] ProtectedMetadata(string kind) => kind switch
    {
        "Deployment" => ["labels"],
        "Pod" => ["ownerReferences"],
        _ => [],
    };

    private static void CopyField(JsonObject from, JsonObject to, string field)
    {
        if (from[field] is { } value)
        {
            to[field] = value.DeepClone();
        }
        else
        {
            to.Remove(field);
        }
    }
}
