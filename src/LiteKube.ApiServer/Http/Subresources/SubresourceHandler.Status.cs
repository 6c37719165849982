using System.Globalization;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Admission;
using LiteKube.ApiServer.Patching;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary><c>/status</c>: reads the whole object; writes change only its status (see
/// <see cref="StatusRules.KeepAllButStatus"/>).</summary>
public sealed partial class SubresourceHandler
{
    private async Task GetStatusAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var obj = await objects.GetAsync(resource, info.Namespace, info.Name, context.RequestAborted).ConfigureAwait(false);
        await StatusResponses.WriteJsonAsync(context, 200, WithTypeMeta(obj, resource)).ConfigureAwait(false);
    }

    private async Task UpdateStatusAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var ct = context.RequestAborted;
        var body = await RequestBodies.ReadObjectAsync(context, resource, info.Namespace, ct).ConfigureAwait(false);
        RequestBodies.RequireNameMatches(body, info.Name);
        admission.AdmitStatus(context, resource, body);
        var updated = await objects.UpdateAsync(resource, info.Namespace, info.Name, DryRun(context),
            current => StatusWrite(resource, current, body.DeepClone().AsObject()), ct).ConfigureAwait(false);
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
                    current => StatusWrite(resource, current, patched.DeepClone().AsObject()), ct).ConfigureAwait(false);
                await StatusResponses.WriteJsonAsync(context, 200, WithTypeMeta(updated, resource)).ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.Reason == "Conflict" && !clientPinned && attempt < attempts)
            {
                // Written in between: apply the patch again to what is stored now.
            }
        }
    }

    private static JsonObject StatusWrite(ResourceDefinition resource, JsonObject current, JsonObject body)
    {
        StatusRules.KeepAllButStatus(resource, current, body);
        KeepServerMetadata(current, body);
        return body;
    }
}
