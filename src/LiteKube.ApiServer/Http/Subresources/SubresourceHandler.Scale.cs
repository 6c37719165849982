using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using LiteKube.ApiServer.FieldManagement;
using LiteKube.ApiServer.Patching;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Serialization;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary><c>/scale</c>: an autoscaling/v1 Scale view whose spec.replicas writes through to
/// the object's spec.replicas (kubectl scale: PATCH with a merge patch, or GET then PUT when
/// it has preconditions). Field ownership goes through the Scale as upstream's ScaleHandler
/// converts it: the writer owns the object's spec.replicas with <c>subresource: scale</c>.</summary>
public sealed partial class SubresourceHandler
{
    private const string ScaleSubresource = "scale";

    private async Task GetScaleAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var obj = await objects.GetAsync(resource, info.Namespace, info.Name, context.RequestAborted).ConfigureAwait(false);
        await StatusResponses.WriteJsonAsync(context, 200, ScaleConversion.ToScale(resource, obj)).ConfigureAwait(false);
    }

    private async Task UpdateScaleAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var ct = context.RequestAborted;
        FieldManagerRequests.CheckOptions(context, info.Name, apply: false);
        var scale = await ReadBodyAsync(context, SubresourceKinds.Scale, info, ct).ConfigureAwait(false);
        var updated = await WriteScaleAsync(context, resource, info, scale, UpdateScaleFields(context), ct).ConfigureAwait(false);
        await StatusResponses.WriteJsonAsync(context, 200, ScaleConversion.ToScale(resource, updated)).ConfigureAwait(false);
    }

    /// <summary>The patch applies to the Scale view (as upstream), and the result is written as
    /// a PUT of that Scale; retried on a concurrent write unless it pins a resourceVersion.</summary>
    private async Task PatchScaleAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var ct = context.RequestAborted;
        var (type, patch) = await PatchBodies.ReadAsync(context, ct).ConfigureAwait(false);
        FieldManagerRequests.CheckOptions(context, info.Name, apply: type == PatchType.Apply);
        if (type == PatchType.Apply)
        {
            await ApplyScaleAsync(context, resource, info, (JsonObject)patch).ConfigureAwait(false);
            return;
        }

        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var stored = await objects.GetStoredAsync(resource, info.Namespace, info.Name, ct).ConfigureAwait(false)
                ?? throw ApiException.NotFound(resource.QualifiedName, info.Name);
            var scale = PatchBodies.Apply(type, patch, ScaleConversion.ToScale(resource, stored.Object), SubresourceKinds.Scale);
            var pinned = ObjectStore.Metadata(scale)["resourceVersion"]?.ToString();
            var clientPinned = pinned != stored.Revision.ToString(CultureInfo.InvariantCulture);
            try
            {
                var updated = await WriteScaleAsync(context, resource, info, scale, UpdateScaleFields(context), ct).ConfigureAwait(false);
                await StatusResponses.WriteJsonAsync(context, 200, ScaleConversion.ToScale(resource, updated)).ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.Reason == "Conflict" && !clientPinned && attempt < attempts)
            {
                // Written in between: apply the patch again to what is stored now.
            }
        }
    }

    /// <summary>Server-side apply of an autoscaling/v1 Scale: conflicts with whoever owns the
    /// object's spec.replicas (409 unless force=true). The object must exist.</summary>
    private async Task ApplyScaleAsync(HttpContext context, ResourceDefinition resource, RequestInfo info, JsonObject config)
    {
        var ct = context.RequestAborted;
        var manager = FieldManagerRequests.ApplyManager(context);
        var force = FieldManagerRequests.Force(context);
        FieldManagerRequests.CheckApplyConfiguration(SubresourceKinds.Scale, info, config);
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var stored = await objects.GetStoredAsync(resource, info.Namespace, info.Name, ct).ConfigureAwait(false)
                ?? throw ApiException.NotFound(resource.QualifiedName, info.Name);
            var result = FieldManager.Apply(ScaleView(resource, stored.Object), config, typeof(V1Scale), manager, ScaleFields.ScaleApiVersion, force,
                ObjectStore.Rfc3339(time.GetUtcNow()), ScaleSubresource);
            if (result.Conflicts.Count > 0)
            {
                throw FieldManagerRequests.ConflictError(SubresourceKinds.Scale, info.Name, result.Conflicts);
            }

            try
            {
                // The merged Scale carries the stored resourceVersion: a write in between is a
                // conflict, and the apply is made again on what is stored then.
                var updated = await WriteScaleAsync(context, resource, info, result.Object!, (_, _) => result.Entries, ct).ConfigureAwait(false);
                await StatusResponses.WriteJsonAsync(context, 200, ScaleConversion.ToScale(resource, updated)).ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.Reason == "Conflict" && attempt < attempts && ObjectStore.Metadata(config)["resourceVersion"] is null)
            {
            }
        }
    }

    /// <summary>The Scale's entries after an update or a non-apply patch, from the Scale before and after.</summary>
    private Func<JsonObject, JsonObject, List<ManagedFieldsEntry>> UpdateScaleFields(HttpContext context) =>
        (before, after) => FieldManager.Update(before, after, typeof(V1Scale), FieldManagerRequests.UpdateManager(context),
            ScaleFields.ScaleApiVersion, ObjectStore.Rfc3339(time.GetUtcNow()), ScaleSubresource);

    /// <summary>The Scale of an object with the owners of its replicas as the Scale's managed fields.</summary>
    private static JsonObject ScaleView(ResourceDefinition resource, JsonObject obj)
    {
        var scale = ScaleConversion.ToScale(resource, obj);
        ManagedFieldsEntry.Write(scale, ScaleFields.ToSubresource(ManagedFieldsEntry.Read(obj)));
        return scale;
    }

    /// <summary>Sets spec.replicas from the Scale; the Scale's resourceVersion and uid, when
    /// given, are preconditions. The object then passes the kind's admission as any update.
    /// <paramref name="scaleFields"/> gives the Scale's managed fields from its view before
    /// (with the object's owners of replicas) and after the write.</summary>
    private async Task<JsonObject> WriteScaleAsync(HttpContext context, ResourceDefinition resource, RequestInfo info, JsonObject scale,
        Func<JsonObject, JsonObject, List<ManagedFieldsEntry>> scaleFields, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var replicas = ScaleConversion.RequestedReplicas(scale, errors);
        if (replicas is null)
        {
            throw ApiException.Invalid(SubresourceKinds.Scale, info.Name, errors);
        }

        var scaleMetadata = ObjectStore.Metadata(scale);
        var wantedVersion = scaleMetadata["resourceVersion"]?.ToString();
        var wantedUid = scaleMetadata["uid"]?.ToString();
        return await objects.UpdateAsync(resource, info.Namespace, info.Name, DryRun(context), current =>
        {
            var metadata = ObjectStore.Metadata(current);
            if (!string.IsNullOrEmpty(wantedUid) && wantedUid != metadata["uid"]?.ToString())
            {
                throw ApiException.Conflict(resource.QualifiedName, info.Name,
                    $"Precondition failed: UID in precondition: {wantedUid}, UID in object meta: {metadata["uid"]}");
            }

            var updated = current.DeepClone().AsObject();
            var spec = updated["spec"] as JsonObject ?? [];
            updated["spec"] = spec;
            spec["replicas"] = JsonNumbers.From(replicas.Value);
            admission.Admit(context, resource, updated);
            var updatedMetadata = ObjectStore.Metadata(updated);
            updatedMetadata["generation"] = ObjectStore.NextGeneration(current, updated);
            var parentEntries = ManagedFieldsEntry.Read(current);
            var scaleEntries = scaleFields(ScaleView(resource, current), ScaleConversion.ToScale(resource, updated));
            ManagedFieldsEntry.Write(updated, ScaleFields.ToParent(parentEntries, scaleEntries, resource.GroupVersion));
            // An empty resourceVersion means "whatever is stored": UpdateAsync then retries on its own.
            if (string.IsNullOrEmpty(wantedVersion))
            {
                updatedMetadata.Remove("resourceVersion");
            }
            else
            {
                updatedMetadata["resourceVersion"] = wantedVersion;
            }

            return updated;
        }, ct).ConfigureAwait(false);
    }
}
