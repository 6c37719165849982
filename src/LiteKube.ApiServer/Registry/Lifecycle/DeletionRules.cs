using System.Globalization;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Registry.Lifecycle;

/// <summary>What one delete request does to the stored object.</summary>
public abstract record DeletionStep
{
    /// <summary>Remove the object now; <see cref="LastState"/> is what the answer shows.</summary>
    public sealed record Remove(JsonObject LastState) : DeletionStep;

    /// <summary>Write <see cref="Marked"/> (deletionTimestamp, finalizers) and keep the object.</summary>
    public sealed record Mark(JsonObject Marked) : DeletionStep;

    /// <summary>Deletion is already under way and the request changes nothing.</summary>
    public sealed record Pending(JsonObject Current) : DeletionStep;
}

/// <summary>
/// Upstream's delete path as pure functions (rest.BeforeDelete, the generic store's Delete and
/// updateForGracefulDeletionAndFinalizers, the namespace and pod strategies): preconditions,
/// graceful deletion of pods, the garbage collector's finalizers, and marking instead of
/// removing while finalizers remain. No I/O: the caller reads the object and writes the step.
/// </summary>
public static class DeletionRules
{
    /// <summary>Kinds whose delete answers the deleted object rather than a Status (upstream's ReturnDeletedObject).</summary>
    private static readonly HashSet<string> ReturnsDeletedObject = ["Pod", "Service", "ServiceAccount", "Namespace", "PersistentVolume", "PersistentVolumeClaim"];

    public static bool AnswersWithObject(ResourceDefinition resource) => resource.Group == "" && ReturnsDeletedObject.Contains(resource.Kind);

    public static DeletionStep Plan(ResourceDefinition resource, JsonObject stored, DeleteOptions options, DateTimeOffset now)
    {
        CheckPreconditions(resource, stored, options);
        var obj = stored.DeepClone().AsObject();
        var metadata = ObjectStore.Metadata(obj);
        if (resource.Group == "" && resource.Kind == "Namespace" && Of(metadata, "deletionTimestamp") is null)
        {
            return BeginNamespaceTermination(obj, options, now);
        }

        if (resource.Group == "" && resource.Kind == "Namespace" && (obj["spec"]?["finalizers"] as JsonArray)?.Count > 0)
        {
            // The namespace's content is still being removed.
            return new DeletionStep.Pending(obj);
        }

        var (graceful, pending, period) = resource.Group == "" && resource.Kind == "Pod"
            ? PodGrace(obj, options, now)
            : (false, false, 0L);
        if (pending)
        {
            return new DeletionStep.Pending(obj);
        }

        var finalizers = FinalizersFor(resource, metadata, options.Policy);
        metadata.Remove("finalizers");
        if (finalizers.Count > 0)
        {
            metadata["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)f)]);
        }

        if (!graceful)
        {
            return finalizers.Count > 0 ? new DeletionStep.Mark(MarkAsDeleting(obj, now)) : new DeletionStep.Remove(obj);
        }

        return finalizers.Count > 0 || period > 0 ? new DeletionStep.Mark(obj) : new DeletionStep.Remove(obj);
    }

    /// <summary>Upstream's rest.BeforeDelete preconditions: a uid or resourceVersion that does not match is a 409.</summary>
    public static void CheckPreconditions(ResourceDefinition resource, JsonObject stored, DeleteOptions options)
    {
        var metadata = ObjectStore.Metadata(stored);
        var name = Of(metadata, "name") ?? "";
        var kind = resource.Group == "" ? resource.Kind : $"{resource.Kind}.{resource.Group}";
        var uid = Of(metadata, "uid") ?? "";
        if (options.PreconditionUid is { } wantUid && wantUid != uid)
        {
            throw ApiException.Conflict(kind, name, $"the UID in the precondition ({wantUid}) does not match the UID in record ({uid}). The object might have been deleted and then recreated");
        }

        var rv = Of(metadata, "resourceVersion") ?? "";
        if (options.PreconditionResourceVersion is { } wantRv && wantRv != rv)
        {
            throw ApiException.Conflict(kind, name, $"the ResourceVersion in the precondition ({wantRv}) does not match the ResourceVersion in record ({rv}). The object might have been modified");
        }
    }

    /// <summary>The kind's garbage-collection policy when a delete names none (upstream's
    /// DefaultGarbageCollectionPolicy): the legacy workloads core/v1 replication controllers
    /// and batch/v1 jobs orphan; everything else deletes dependents in the background.</summary>
    public static Propagation DefaultPolicy(ResourceDefinition resource) =>
        (resource.Group, resource.Kind) is ("", "ReplicationController") or ("batch", "Job")
            ? Propagation.Orphan
            : Propagation.Background;

    /// <summary>The object's finalizers after a delete with <paramref name="policy"/>: the
    /// orphan and foregroundDeletion finalizers follow the request, else the object's own
    /// choice, else the kind's default (upstream's deletionFinalizersForGarbageCollection).</summary>
    public static List<string> FinalizersFor(ResourceDefinition resource, JsonObject metadata, Propagation? policy)
    {
        var current = Finalizers(metadata);
        var chosen = policy
            ?? (current.Contains(Finalizer.Orphan) ? Propagation.Orphan
                : current.Contains(Finalizer.ForegroundDeletion) ? Propagation.Foreground
                : DefaultPolicy(resource));
        var result = current.Where(f => f is not (Finalizer.Orphan or Finalizer.ForegroundDeletion)).ToList();
        if (chosen == Propagation.Orphan)
        {
            result.Add(Finalizer.Orphan);
        }
        else if (chosen == Propagation.Foreground)
        {
            result.Add(Finalizer.ForegroundDeletion);
        }

        return result;
    }

    public static List<string> Finalizers(JsonObject metadata) =>
        metadata["finalizers"] is JsonArray list
            ? [.. list.Select(f => f is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").Where(s => s != "")]
            : [];

    /// <summary>Upstream's markAsDeleting: deletionTimestamp now (or kept if earlier), grace 0,
    /// generation bumped on the first mark.</summary>
    public static JsonObject MarkAsDeleting(JsonObject obj, DateTimeOffset now)
    {
        var metadata = ObjectStore.Metadata(obj);
        var existing = Timestamp(metadata);
        if (existing is null && metadata["generation"] is JsonValue g && g.TryGetValue<long>(out var generation) && generation > 0)
        {
            metadata["generation"] = generation + 1;
        }

        if (existing is null || existing > now)
        {
            metadata["deletionTimestamp"] = ObjectStore.Rfc3339(now);
        }

        metadata["deletionGracePeriodSeconds"] = 0;
        return obj;
    }

    /// <summary>The pod strategy's graceful deletion. A first delete sets deletionTimestamp to
    /// now + grace (the request's, else the pod's terminationGracePeriodSeconds; 0 for a pod not
    /// bound to a node or already finished). A later one may only shorten the grace period.</summary>
    private static (bool Graceful, bool Pending, long Period) PodGrace(JsonObject pod, DeleteOptions options, DateTimeOffset now)
    {
        var metadata = ObjectStore.Metadata(pod);
        var requested = options.GracePeriodSeconds is < 0 ? 1 : options.GracePeriodSeconds;
        if (Timestamp(metadata) is { } deletion)
        {
            var current = metadata["deletionGracePeriodSeconds"] is JsonValue v && v.TryGetValue<long>(out var c) ? c : 0;
            if (current == 0)
            {
                return (false, false, 0);
            }

            if (requested is not { } shorter || shorter >= current)
            {
                return (false, true, current);
            }

            metadata["deletionTimestamp"] = ObjectStore.Rfc3339(deletion.AddSeconds(shorter - current));
            metadata["deletionGracePeriodSeconds"] = shorter;
            return (true, false, shorter);
        }

        var period = requested ?? (pod["spec"]?["terminationGracePeriodSeconds"] is JsonValue t && t.TryGetValue<long>(out var p) ? p : 0);
        if (string.IsNullOrEmpty(pod["spec"]?["nodeName"]?.ToString()) || pod["status"]?["phase"]?.ToString() is "Failed" or "Succeeded")
        {
            period = 0;
        }

        period = period < 0 ? 1 : period;
        metadata["deletionTimestamp"] = ObjectStore.Rfc3339(now.AddSeconds(period));
        metadata["deletionGracePeriodSeconds"] = period;
        if (metadata["generation"] is JsonValue g && g.TryGetValue<long>(out var generation) && generation > 0)
        {
            metadata["generation"] = generation + 1;
        }

        return (true, false, period);
    }

    /// <summary>The namespace registry's first delete: Terminating, deletionTimestamp, and the
    /// orphan/foregroundDeletion finalizers as the request asks. The namespace lifecycle
    /// reconciler then empties it and removes it.</summary>
    private static DeletionStep BeginNamespaceTermination(JsonObject ns, DeleteOptions options, DateTimeOffset now)
    {
        var metadata = ObjectStore.Metadata(ns);
        metadata["deletionTimestamp"] = ObjectStore.Rfc3339(now);
        metadata["deletionGracePeriodSeconds"] = 0;
        if (ns["status"] is not JsonObject status)
        {
            status = [];
            ns["status"] = status;
        }

        status["phase"] = "Terminating";
        var finalizers = Finalizers(metadata);
        var policy = options.Policy;
        if (policy is not null)
        {
            finalizers.RemoveAll(f => f is Finalizer.Orphan or Finalizer.ForegroundDeletion);
            if (policy == Propagation.Orphan)
            {
                finalizers.Add(Finalizer.Orphan);
            }
            else if (policy == Propagation.Foreground)
            {
                finalizers.Add(Finalizer.ForegroundDeletion);
            }
        }

        metadata.Remove("finalizers");
        if (finalizers.Count > 0)
        {
            metadata["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)f)]);
        }

        return new DeletionStep.Mark(ns);
    }

    public static DateTimeOffset? Timestamp(JsonObject metadata) =>
        Of(metadata, "deletionTimestamp") is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string? Of(JsonObject metadata, string field) =>
        metadata[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>The standard finalizer names.</summary>
public static class Finalizer
{
    public const string Orphan = "orphan";
    public const string ForegroundDeletion = "foregroundDeletion";
    /// <summary>spec.finalizers of a namespace: its content must be removed first.</summary>
    public const string Kubernetes = "kubernetes";
}
