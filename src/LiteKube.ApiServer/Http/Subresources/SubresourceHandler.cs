using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Admission;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary>
/// Serves <c>/{resource}/{name}/{subresource}</c>: status, scale, pods' binding, eviction, log
/// and exec, namespaces' finalize. Authorization already happened as
/// <c>{resource}/{subresource}</c>; each subresource writes through the object store like the
/// main resource, so optimistic concurrency and storage hooks apply.
/// </summary>
public sealed partial class SubresourceHandler(ObjectStore objects, ResourceCatalog catalog, AdmissionChain admission, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        if (!resource.Subresources.Contains(info.Subresource) || info.Name == "")
        {
            throw new ApiException(HttpStatusCode.NotFound, "NotFound", $"the server could not find the requested resource ({info.Subresource} of {resource.QualifiedName})");
        }

        if (resource.Namespaced && info.Namespace == "")
        {
            throw ApiException.BadRequest($"{resource.QualifiedName} is namespaced: the request needs a namespace");
        }

        var task = (info.Subresource, info.Verb) switch
        {
            ("status", "get") => GetStatusAsync(context, resource, info),
            ("status", "update") => UpdateStatusAsync(context, resource, info),
            ("status", "patch") => PatchStatusAsync(context, resource, info),
            ("scale", "get") => GetScaleAsync(context, resource, info),
            ("scale", "update") => UpdateScaleAsync(context, resource, info),
            ("scale", "patch") => PatchScaleAsync(context, resource, info),
            ("binding", "create") => BindAsync(context, resource, info),
            ("eviction", "create") => EvictAsync(context, resource, info),
            ("log", "get") => LogAsync(context, resource, info),
            ("exec", "get" or "create") => ExecAsync(context, resource, info),
            ("finalize", "update") => FinalizeAsync(context, resource, info),
            _ => throw ApiException.MethodNotAllowed($"{info.Verb} is not supported on {resource.QualifiedName}/{info.Subresource}"),
        };
        await task.ConfigureAwait(false);
    }

    /// <summary>dryRun=All: answer as if written, write nothing.</summary>
    private static bool DryRun(HttpContext context)
    {
        var values = context.Request.Query["dryRun"];
        return values.Count != 0 && (values.All(v => v == "All")
            ? true
            : throw ApiException.BadRequest($"unsupported dryRun value \"{values}\": only \"All\" is supported"));
    }

    /// <summary>A subresource's own body (Scale, Binding, Eviction): decoded and checked as that
    /// kind (apiVersion, unknown fields under fieldValidation), naming the object of the URL.</summary>
    private static async Task<JsonObject> ReadBodyAsync(HttpContext context, ResourceDefinition kind, RequestInfo info, CancellationToken ct)
    {
        var body = await RequestBodies.ReadObjectAsync(context, kind, info.Namespace, ct).ConfigureAwait(false);
        Admission.FieldValidation.Apply(context, body, kind);
        if (ObjectStore.Metadata(body)["name"]?.ToString() != info.Name)
        {
            throw ApiException.BadRequest($"name in URL does not match name in {kind.Kind} object");
        }

        return body;
    }

    /// <summary>Identity and lifecycle facts the server owns, whatever a subresource body says.</summary>
    private static void KeepServerMetadata(JsonObject stored, JsonObject updated)
    {
        var metadata = ObjectStore.Metadata(updated);
        var current = ObjectStore.Metadata(stored);
        foreach (var field in new[] { "name", "uid", "creationTimestamp", "namespace", "generation", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            metadata.Remove(field);
            if (current[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
        }
    }

    private static JsonObject WithTypeMeta(JsonObject obj, ResourceDefinition resource)
    {
        obj["apiVersion"] = resource.GroupVersion;
        obj["kind"] = resource.Kind;
        return obj;
    }
}
