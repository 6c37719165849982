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
        var ct = context.RequestAborted;
        while (true)
        {
            var stored = await objects.GetStoredAsync(resource, info.Namespace, info.Name, ct).ConfigureAwait(false)
                ?? throw ApiException.NotFound(resource.QualifiedName, info.Name);
            var metadata = ObjectStore.Metadata(stored.Object);
            if (metadata["finalizers"] is JsonArray { Count: > 0 })
            {
                // Finalizers hold the object: mark it deleted and leave removal to whoever owns them.
                var marked = await objects.UpdateAsync(resource, info.Namespace, info.Name, dryRun: false, current =>
                {
                    var m = ObjectStore.Metadata(current);
                    m["deletionTimestamp"] ??= ObjectStore.Rfc3339(objects.Now);
                    m["deletionGracePeriodSeconds"] ??= 0;
                    return current;
                }, ct).ConfigureAwait(false);
                await WriteObjectAsync(context, 200, marked).ConfigureAwait(false);
                return;
            }

            if (await objects.RemoveAsync(resource, info.Namespace, info.Name, stored.Revision, ct).ConfigureAwait(false))
            {
                var uid = metadata["uid"]?.GetValue<string>() ?? "";
                var status = StatusResponses.Success(new StatusDetails(info.Name, resource.Plural, resource.Group));
                status["details"]!["uid"] = uid;
                await StatusResponses.WriteJsonAsync(context, 200, status).ConfigureAwait(false);
                return;
            }
        }
    }
}
