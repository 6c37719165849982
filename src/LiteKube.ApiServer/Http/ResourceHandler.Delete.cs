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

/// <summary>DELETE of one object: finalizers hold it marked, otherwise it is removed.</summary>
public sealed partial class ResourceHandler
{
    private async Task DeleteAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var result = await DeleteObjectAsync(resource, info.Namespace, info.Name, context.RequestAborted).ConfigureAwait(false);
        await StatusResponses.WriteJsonAsync(context, 200, result).ConfigureAwait(false);
    }

    /// <summary>Deletes one object as DELETE does (also for pods/eviction): answers the object
    /// marked for deletion while finalizers hold it, else a Success Status.</summary>
    internal async Task<JsonObject> DeleteObjectAsync(ResourceDefinition resource, string ns, string name, CancellationToken ct)
    {
        while (true)
        {
            var stored = await objects.GetStoredAsync(resource, ns, name, ct).ConfigureAwait(false)
                ?? throw ApiException.NotFound(resource.QualifiedName, name);
            var metadata = ObjectStore.Metadata(stored.Object);
            if (metadata["finalizers"] is JsonArray { Count: > 0 })
            {
                // Finalizers hold the object: mark it deleted and leave removal to whoever owns them.
                return await objects.UpdateAsync(resource, ns, name, dryRun: false, current =>
                {
                    var m = ObjectStore.Metadata(current);
                    m["deletionTimestamp"] ??= ObjectStore.Rfc3339(objects.Now);
                    m["deletionGracePeriodSeconds"] ??= 0;
                    return current;
                }, ct).ConfigureAwait(false);
            }

            if (await objects.RemoveAsync(resource, ns, name, stored.Revision, ct).ConfigureAwait(false))
            {
                var uid = metadata["uid"]?.GetValue<string>() ?? "";
                var status = StatusResponses.Success(new StatusDetails(name, resource.Plural, resource.Group));
                status["details"]!["uid"] = uid;
                return status;
            }
        }
    }
}
