using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Admission;

/// <summary>Upstream's apps/v1 defaulting (pkg/apis/apps/v1/defaults.go) for the fields it sets on
/// the workload itself; the pod template's defaults are <see cref="PodTemplateRules"/>.</summary>
/// <remarks>Upstream defaults by Go zero values, so an empty <c>strategy: {}</c> (what
/// <c>kubectl create deployment</c> sends) gets a type and its rolling-update parameters exactly
/// as an absent one does: every check here is on the leaf field, never "is the parent there".</remarks>
public static class AppsDefaults
{
    public static void Deployment(JsonObject spec)
    {
        spec["replicas"] ??= 1;
        var strategy = ObjectAt(spec, "strategy");
        if (IsEmpty(strategy["type"]))
        {
            strategy["type"] = "RollingUpdate";
        }

        if (strategy["type"]?.ToString() == "RollingUpdate")
        {
            var rolling = ObjectAt(strategy, "rollingUpdate");
            rolling["maxUnavailable"] ??= "25%";
            rolling["maxSurge"] ??= "25%";
        }

        spec["revisionHistoryLimit"] ??= 10;
        spec["progressDeadlineSeconds"] ??= 600;
    }

    /// <summary>Only replicas: a ReplicaSet has no revision history or strategy.</summary>
    public static void ReplicaSet(JsonObject spec) => spec["replicas"] ??= 1;

    public static void StatefulSet(JsonObject spec)
    {
        if (IsEmpty(spec["podManagementPolicy"]))
        {
            spec["podManagementPolicy"] = "OrderedReady";
        }

        var strategy = ObjectAt(spec, "updateStrategy");
        if (IsEmpty(strategy["type"]))
        {
            strategy["type"] = "RollingUpdate";
            // Upstream creates rollingUpdate only when it set the type itself.
            ObjectAt(strategy, "rollingUpdate");
        }

        if (strategy["type"]?.ToString() == "RollingUpdate" && strategy["rollingUpdate"] is JsonObject rolling)
        {
            rolling["partition"] ??= 0;
        }

        var retention = ObjectAt(spec, "persistentVolumeClaimRetentionPolicy");
        foreach (var when in (string[])["whenDeleted", "whenScaled"])
        {
            if (IsEmpty(retention[when]))
            {
                retention[when] = "Retain";
            }
        }

        spec["replicas"] ??= 1;
        spec["revisionHistoryLimit"] ??= 10;
    }

    public static void DaemonSet(JsonObject spec)
    {
        var strategy = ObjectAt(spec, "updateStrategy");
        if (IsEmpty(strategy["type"]))
        {
            strategy["type"] = "RollingUpdate";
        }

        if (strategy["type"]?.ToString() == "RollingUpdate")
        {
            var rolling = ObjectAt(strategy, "rollingUpdate");
            rolling["maxUnavailable"] ??= 1;
            rolling["maxSurge"] ??= 0;
        }

        spec["revisionHistoryLimit"] ??= 10;
    }

    /// <summary>The object at <paramref name="name"/>, created when absent or null. A value of
    /// another JSON type was already refused by field validation.</summary>
    private static JsonObject ObjectAt(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    private static bool IsEmpty(JsonNode? value) => value is null || value.ToString().Length == 0;
}
