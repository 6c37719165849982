using System.Globalization;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Admission;
using LiteKube.ApiServer.FieldManagement;
using LiteKube.ApiServer.Patching;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary><c>/status</c>: reads the whole object; writes change only its status (see
/// <see cref="StatusRules.KeepAllButStatus"/>) and record the writer in managedFields with
/// <c>subresource: status</c>, owning status fields only.</summary>
public sealed partial class SubresourceHandler
{
    private const string StatusSubresource = "status";

    private async Task GetStatusAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var obj = await objects.GetAsync(resource, info.Namespace, info.Name, context.RequestAborted).ConfigureAwait(false);
        await StatusResponses.WriteJsonAsync(context, 200, WithTypeMeta(obj, resource)).ConfigureAwait(false);
    }

    private async Task UpdateStatusAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var ct = context.RequestAborted;
        FieldManagerRequests.CheckOptions(context, info.Name, apply: false);
        var body = await RequestBodies.ReadObjectAsync(context, resource, info.Namespace, ct).ConfigureAwait(false);
        RequestBodies.RequireNameMatches(body, info.Name);
        admission.AdmitStatus(context, resource, body);
        var updated = await objects.UpdateAsync(resource, info.Namespace, info.Name, DryRun(context),
            current => TrackedStatusWrite(context, resource, current, body.DeepClone().AsObject()), ct).ConfigureAwait(false);
        await StatusResponses.WriteJsonAsync(context, 200, WithTypeMeta(updated, resource)).ConfigureAwait(false);
    }

    /// <summary>The patch is applied to the whole stored object through the same entry point as
    /// the main resource's PATCH (so every patch type it accepts works here), then only the
    /// status of the result is kept. Retried on a concurrent write unless the patch pins a
    /// resourceVersion.</summary>
    private async Task PatchStatusAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var ct = context.RequestAborted;
        var (type, patch) = await PatchBodies.ReadAsync(context, ct).ConfigureAwait(false);
        FieldManagerRequests.CheckOptions(context, info.Name, apply: type == PatchType.Apply);
        if (type == PatchType.Apply)
        {
            await ApplyStatusAsync(context, resource, info, (JsonObject)patch).ConfigureAwait(false);
            return;
        }

        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var stored = await objects.GetStoredAsync(resource, info.Namespace, info.Name, ct).ConfigureAwait(false)
                ?? throw ApiException.NotFound(resource.QualifiedName, info.Name);
            var patched = PatchBodies.Apply(type, patch, stored.Object.DeepClone().AsObject(), resource);
            var pinned = ObjectStore.Metadata(patched)["resourceVersion"]?.ToString();
            var clientPinned = pinned != stored.Revision.ToString(CultureInfo.InvariantCulture);
            admission.AdmitStatus(context, resource, patched);
            try
            {
                var updated = await objects.UpdateAsync(resource, info.Namespace, info.Name, DryRun(context),
                    current => TrackedStatusWrite(context, resource, current, patched.DeepClone().AsObject()), ct).ConfigureAwait(false);
                await StatusResponses.WriteJsonAsync(context, 200, WithTypeMeta(updated, resource)).ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.Reason == "Conflict" && !clientPinned && attempt < attempts)
            {
                // Written in between: apply the patch again to what is stored now.
            }
        }
    }

    /// <summary>Server-side apply through <c>/status</c> (upstream serves it since 1.22): the
    /// configuration is merged into the stored object with the ownership of status fields; only
    /// the status of the result is written. The object must exist (404 otherwise: a status
    /// apply never creates).</summary>
    private async Task ApplyStatusAsync(HttpContext context, ResourceDefinition resource, RequestInfo info, JsonObject config)
    {
        var ct = context.RequestAborted;
        var manager = FieldManagerRequests.ApplyManager(context);
        var force = FieldManagerRequests.Force(context);
        FieldManagerRequests.CheckApplyConfiguration(resource, info, config);
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var stored = await objects.GetStoredAsync(resource, info.Namespace, info.Name, ct).ConfigureAwait(false)
                ?? throw ApiException.NotFound(resource.QualifiedName, info.Name);
            var result = FieldManager.Apply(stored.Object, config, resource.ModelType, manager, resource.GroupVersion, force,
                ObjectStore.Rfc3339(time.GetUtcNow()), StatusSubresource);
            if (result.Conflicts.Count > 0)
            {
                throw FieldManagerRequests.ConflictError(resource, info.Name, result.Conflicts);
            }

            var applied = WithTypeMeta(result.Object!, resource);
            admission.AdmitStatus(context, resource, applied);
            ManagedFieldsEntry.Write(applied, result.Entries);
            try
            {
                // The merge kept the stored resourceVersion (or the configuration's): a write in
                // between is a conflict, and the apply is made again on what is stored then.
                var updated = await objects.UpdateAsync(resource, info.Namespace, info.Name, DryRun(context),
                    current => StatusWrite(resource, current, applied.DeepClone().AsObject()), ct).ConfigureAwait(false);
                await StatusResponses.WriteJsonAsync(context, 200, WithTypeMeta(updated, resource)).ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.Reason == "Conflict" && attempt < attempts && ObjectStore.Metadata(config)["resourceVersion"] is null)
            {
            }
        }
    }

    /// <summary>A status write by an update or a non-apply patch: its writer owns what it changed.</summary>
    private JsonObject TrackedStatusWrite(HttpContext context, ResourceDefinition resource, JsonObject current, JsonObject body)
    {
        var updated = StatusWrite(resource, current, body);
        FieldManagerRequests.TrackUpdate(context, resource, current, updated, ObjectStore.Rfc3339(time.GetUtcNow()), StatusSubresource);
        return updated;
    }

    private static JsonObject StatusWrite(ResourceDefinition resource, JsonObject current, JsonObject body)
    {
        StatusRules.KeepAllButStatus(resource, current, body);
        KeepServerMetadata(current, body);
        return body;
    }
}
