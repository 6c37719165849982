using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Lifecycle;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http;

/// <summary>DELETE of one object and of a collection, with upstream's DeleteOptions and answers.</summary>
public sealed partial class ResourceHandler
{
    /// <summary>Namespaces the cluster needs; upstream's NamespaceLifecycle admission refuses to
    /// delete default, kube-system and kube-public. LiteKube also keeps kube-node-lease, which
    /// only its first start creates.</summary>
    private static readonly HashSet<string> ImmortalNamespaces = [.. SystemNamespaces.Names];

    private async Task DeleteAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var ct = context.RequestAborted;
        var options = await ReadDeleteOptionsAsync(context, ct).ConfigureAwait(false);
        if (resource.Group == "" && resource.Kind == "Namespace" && ImmortalNamespaces.Contains(info.Name))
        {
            throw new ApiException(HttpStatusCode.Forbidden, "Forbidden", $"namespaces \"{info.Name}\" is forbidden: this namespace may not be deleted")
            {
                Details = new StatusDetails(info.Name, "namespaces"),
            };
        }

        var outcome = await deleter.DeleteAsync(resource, info.Namespace, info.Name, options, ct).ConfigureAwait(false);
        if (outcome.Removed && !DeletionRules.AnswersWithObject(resource))
        {
            // A Status names the resource in details.kind, as upstream does.
            var status = StatusResponses.Success(new StatusDetails(info.Name, resource.Plural, resource.Group));
            status["details"]!["uid"] = ObjectStore.Metadata(outcome.Object)["uid"]?.DeepClone();
            await StatusResponses.WriteJsonAsync(context, 200, status).ConfigureAwait(false);
            return;
        }

        var code = !outcome.Removed && options.AcceptedWhenPending ? 202 : 200;
        await WriteObjectAsync(context, code, WithTypeMeta(outcome.Object, resource)).ConfigureAwait(false);
    }

    /// <summary>DELETE on a collection: every object the selectors match is deleted as one DELETE
    /// would (finalizers and grace periods apply to each); the answer lists them as they were.</summary>
    private async Task DeleteCollectionAsync(HttpContext context, ResourceDefinition resource, string ns)
    {
        var ct = context.RequestAborted;
        var query = ListQuery.Parse(context.Request.Query, resource, ns);
        var options = await ReadDeleteOptionsAsync(context, ct).ConfigureAwait(false);
        var (items, revision, next) = await lister.ListAsync(resource, query, ct).ConfigureAwait(false);
        foreach (var item in items)
        {
            var metadata = ObjectStore.Metadata(item);
            try
            {
                await deleter.DeleteAsync(resource, metadata["namespace"]?.ToString() ?? "", metadata["name"]?.ToString() ?? "", options, ct).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Reason == "NotFound")
            {
                // Deleted by someone else meanwhile: that is what was asked.
            }
        }

        var listMetadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (next is not null)
        {
            listMetadata["continue"] = next;
        }

        var list = new JsonObject
        {
            ["kind"] = resource.ListKind,
            ["apiVersion"] = resource.GroupVersion,
            ["metadata"] = listMetadata,
            ["items"] = new JsonArray([.. items.Select(i => (JsonNode)WithTypeMeta(i, resource))]),
        };
        await StatusResponses.WriteJsonAsync(context, 200, list).ConfigureAwait(false);
    }

    /// <summary>DeleteOptions from a body, or without a body from the query string.</summary>
    private static async Task<DeleteOptions> ReadDeleteOptionsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var bytes = await RequestBodies.ReadBytesAsync(context, cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            return DeleteOptions.FromQuery(context.Request.Query);
        }

        // JSON, YAML or protobuf: kubectl 1.32+ drain sends DeleteOptions as protobuf.
        return DeleteOptions.FromBody(RequestBodies.Decode(context, bytes));
    }
}
