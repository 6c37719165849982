using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary><c>pods/binding</c>: the scheduler's one-time assignment of a pod to a node, as
/// upstream's BindingREST: spec.nodeName is set once (a bound or deleting pod is a 409 Conflict
/// on pods/binding), the binding's annotations are added and PodScheduled becomes True.</summary>
public sealed partial class SubresourceHandler
{
    private async Task BindAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var ct = context.RequestAborted;
        var binding = await ReadBodyAsync(context, SubresourceKinds.Binding, info, ct).ConfigureAwait(false);
        var metadata = ObjectStore.Metadata(binding);
        var errors = BindingRules.Validate(binding);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(SubresourceKinds.Binding, info.Name, errors);
        }

        var node = binding["target"]!["name"]!.ToString();
        var wantedUid = metadata["uid"]?.ToString();
        var wantedVersion = metadata["resourceVersion"]?.ToString();
        var annotations = metadata["annotations"] as JsonObject;
        var now = ObjectStore.Rfc3339(time.GetUtcNow());
        await objects.UpdateAsync(resource, info.Namespace, info.Name, DryRun(context), pod =>
        {
            if (BindingRules.Refusal(pod, wantedUid) is { } refusal)
            {
                throw new ApiException(HttpStatusCode.Conflict, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{info.Name}\": {refusal}")
                {
                    Details = new StatusDetails(info.Name, "pods/binding"),
                };
            }

            BindingRules.Bind(pod, node, annotations, now);
            var podMetadata = ObjectStore.Metadata(pod);
            if (string.IsNullOrEmpty(wantedVersion))
            {
                podMetadata.Remove("resourceVersion");
            }
            else
            {
                podMetadata["resourceVersion"] = wantedVersion;
            }

            return pod;
        }, ct).ConfigureAwait(false);
        await StatusResponses.WriteJsonAsync(context, 201, Success(201)).ConfigureAwait(false);
    }

    private static JsonObject Success(int code) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["code"] = code,
    };
}
