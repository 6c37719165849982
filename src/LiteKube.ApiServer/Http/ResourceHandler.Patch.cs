using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Admission;
using LiteKube.ApiServer.Patching;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Security;
using LiteKube.ApiServer.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LiteKube.ApiServer.Http;

/// <summary>PATCH: the patch is applied to the stored object and the result goes through update.</summary>
public sealed partial class ResourceHandler
{
    /// <summary>Applies a JSON patch or JSON merge patch to the stored object, then treats the result
    /// as an update (security, admission, generation). Written only if the object is still at the
    /// revision the patch was applied to; otherwise the patch is applied again to the new object.</summary>
    private async Task PatchAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var ct = context.RequestAborted;
        var (type, patch) = await PatchBodies.ReadAsync(context, ct).ConfigureAwait(false);
        FieldManagerRequests.CheckOptions(context, info.Name, apply: type == PatchType.Apply);
        if (type == PatchType.Apply)
        {
            await ApplyAsync(context, resource, info, (JsonObject)patch).ConfigureAwait(false);
            return;
        }

        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var stored = await objects.GetStoredAsync(resource, info.Namespace, info.Name, ct).ConfigureAwait(false)
                ?? throw ApiException.NotFound(resource.QualifiedName, info.Name);
            var patched = PatchBodies.Apply(type, patch, stored.Object, resource);
            var metadata = ObjectStore.Metadata(patched);
            var storedMetadata = ObjectStore.Metadata(stored.Object);
            foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp" })
            {
                if (!JsonNode.DeepEquals(metadata[field], storedMetadata[field]))
                {
                    throw ApiException.Invalid(resource, info.Name, [new FieldError($"metadata.{field}", "Invalid value", "field is immutable")]);
                }
            }

            var pinned = metadata["resourceVersion"]?.ToString();
            var clientPinned = pinned != stored.Revision.ToString(CultureInfo.InvariantCulture);
            await context.RequestServices.GetRequiredService<RequestSecurity>().AdmitWriteAsync(context, resource, info.Namespace, patched).ConfigureAwait(false);
            admission.Admit(context, resource, patched);
            Admission.PodUpdateRules.Check(resource, stored.Object, patched);
            TrackFields(context, resource, stored.Object, patched);
            metadata["generation"] = ObjectStore.NextGeneration(stored.Object, patched);
            StatusRules.KeepStatusOnMainUpdate(resource, stored.Object, patched);
            try
            {
                var updated = await objects.UpdateAsync(resource, info.Namespace, info.Name, DryRun(context), _ => patched, ct).ConfigureAwait(false);
                await WriteObjectAsync(context, 200, updated).ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.Reason == "Conflict" && !clientPinned && attempt < attempts)
            {
                // Someone wrote in between: apply the patch again to what is stored now.
            }
        }
    }
}
