using System.Globalization;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Patching;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary><c>/scale</c>: an autoscaling/v1 Scale view whose spec.replicas writes through to
/// the object's spec.replicas (kubectl scale: PATCH with a merge patch, or GET then PUT when
/// it has preconditions).</summary>
public sealed partial class SubresourceHandler
{
    private async Task GetScaleAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var obj = await objects.GetAsync(resource, info.Namespace, info.Name, context.RequestAborted).ConfigureAwait(false);
        await StatusResponses.WriteJsonAsync(context, 200, ScaleConversion.ToScale(resource, obj)).ConfigureAwait(false);
    }

    private async Task UpdateScaleAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var ct = context.RequestAborted;
        var scale = await RequestBodies.ReadObjectAsync(context, SubresourceKinds.Scale, info.Namespace, ct).ConfigureAwait(false);
        RequestBodies.RequireNameMatches(scale, info.Name);
        Admission.FieldValidation.Apply(context, scale, SubresourceKinds.Scale);
        var updated = await WriteScaleAsync(context, resource, info, scale, ct).ConfigureAwait(false);
        await StatusResponses.WriteJsonAsync(context, 200, ScaleConversion.ToScale(resource, updated)).ConfigureAwait(false);
    }

    /// <summary>The patch applies to the Scale view (as upstream), and the result is written as
    /// a PUT of that Scale; retried on a concurrent write unless it pins a resourceVersion.</summary>
    private async Task PatchScaleAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var ct = context.RequestAborted;
        var (type, patch) = await PatchBodies.ReadAsync(context, ct).ConfigureAwait(false);
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
                var updated = await WriteScaleAsync(context, resource, info, scale, ct).ConfigureAwait(false);
                await StatusResponses.WriteJsonAsync(context, 200, ScaleConversion.ToScale(resource, updated)).ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.Reason == "Conflict" && !clientPinned && attempt < attempts)
            {
                // Written in between: apply the patch again to what is stored now.
            }
        }
    }

    /// <summary>Sets spec.replicas from the Scale; the Scale's resourceVersion and uid, when
    /// given, are preconditions. The object then passes the kind's admission as any update.</summary>
    private async Task<JsonObject> WriteScaleAsync(HttpContext context, ResourceDefinition resource, RequestInfo info, JsonObject scale, CancellationToken ct)
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
            spec["replicas"] = replicas.Value;
            admission.Admit(context, resource, updated);
            var updatedMetadata = ObjectStore.Metadata(updated);
            updatedMetadata["generation"] = ObjectStore.NextGeneration(current, updated);
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
