using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Admission;
using LiteKube.ApiServer.Patching;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Lifecycle;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Security;
using LiteKube.ApiServer.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LiteKube.ApiServer.Http;

/// <summary>Serves the verbs on resource paths: the thin layer between HTTP and the object store.</summary>
public sealed partial class ResourceHandler(ResourceCatalog catalog, ObjectStore objects, ObjectLister lister, WatchStreamer watches, TableConverter tables, AdmissionChain admission, ObjectDeleter deleter)
{
    public async Task HandleAsync(HttpContext context, RequestInfo info)
    {
        var ct = context.RequestAborted;
        var resource = catalog.Find(info.Group, info.Version, info.Resource)
            ?? throw new ApiException(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource");
        if (info.Subresource != "")
        {
            await context.RequestServices.GetRequiredService<Subresources.SubresourceHandler>().HandleAsync(context, resource, info).ConfigureAwait(false);
            return;
        }

        if (!resource.Verbs.Contains(info.Verb))
        {
            throw ApiException.MethodNotAllowed($"{info.Verb} is not supported on resources of kind \"{resource.QualifiedName}\"");
        }

        if (resource.Namespaced && info.Namespace == "" && info.Verb is "create" or "get" or "update" or "patch" or "delete")
        {
            throw ApiException.BadRequest($"{resource.QualifiedName} is namespaced: the request needs a namespace");
        }

        switch (info.Verb)
        {
            case "get":
                await WriteGetAsync(context, resource, await objects.GetAsync(resource, info.Namespace, info.Name, ct).ConfigureAwait(false)).ConfigureAwait(false);
                break;
            case "list":
                await ListAsync(context, resource, info.Namespace).ConfigureAwait(false);
                break;
            case "watch":
                await watches.StreamAsync(context, resource, ListQuery.Parse(context.Request.Query, resource, info.Namespace), TableFormat.From(context.Request)).ConfigureAwait(false);
                break;
            case "create":
                await CreateAsync(context, resource, info.Namespace).ConfigureAwait(false);
                break;
            case "update":
                await UpdateAsync(context, resource, info).ConfigureAwait(false);
                break;
            case "delete":
                await DeleteAsync(context, resource, info).ConfigureAwait(false);
                break;
            case "patch":
                await PatchAsync(context, resource, info).ConfigureAwait(false);
                break;
            case "deletecollection":
                await DeleteCollectionAsync(context, resource, info.Namespace).ConfigureAwait(false);
                break;
            default:
                throw ApiException.MethodNotAllowed($"{info.Verb} on {resource.QualifiedName} is not served yet");
        }
    }

    private async Task CreateAsync(HttpContext context, ResourceDefinition resource, string ns)
    {
        var ct = context.RequestAborted;
        var body = await RequestBodies.ReadObjectAsync(context, resource, ns, ct).ConfigureAwait(false);
        await context.RequestServices.GetRequiredService<RequestSecurity>().AdmitWriteAsync(context, resource, ns, body).ConfigureAwait(false);
        if (resource.Namespaced)
        {
            await RequireActiveNamespaceAsync(ns, ct).ConfigureAwait(false);
        }

        StatusRules.ResetOnCreate(resource, body);
        admission.Admit(context, resource, body);
        TrackFields(context, resource, null, body);
        // After the managed fields, as upstream: what admission adds belongs to no manager.
        await context.RequestServices.GetRequiredService<PodServiceAccountAdmission>().AdmitCreateAsync(resource, ns, body, ct).ConfigureAwait(false);
        var created = await objects.CreateAsync(resource, ns, body, DryRun(context), ct).ConfigureAwait(false);
        await WriteObjectAsync(context, 201, created).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var ct = context.RequestAborted;
        var body = await RequestBodies.ReadObjectAsync(context, resource, info.Namespace, ct).ConfigureAwait(false);
        await context.RequestServices.GetRequiredService<RequestSecurity>().AdmitWriteAsync(context, resource, info.Namespace, body).ConfigureAwait(false);
        RequestBodies.RequireNameMatches(body, info.Name);

        admission.Admit(context, resource, body);
        var updated = await objects.UpdateAsync(resource, info.Namespace, info.Name, DryRun(context), current =>
        {
            // Identity and creation facts belong to the server, whatever the client sent.
            var metadata = ObjectStore.Metadata(body);
            var stored = ObjectStore.Metadata(current);
            foreach (var field in new[] { "uid", "creationTimestamp", "namespace", "deletionTimestamp" })
            {
                metadata.Remove(field);
                if (stored[field] is { } value)
                {
                    metadata[field] = value.DeepClone();
                }
            }

            PodUpdateRules.Check(resource, current, body);
            metadata["generation"] = ObjectStore.NextGeneration(current, body);
            StatusRules.KeepStatusOnMainUpdate(resource, current, body);
            TrackFields(context, resource, current, body);
            return body;
        }, ct).ConfigureAwait(false);
        await WriteObjectAsync(context, 200, updated).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context, ResourceDefinition resource, string ns)
    {
        var query = ListQuery.Parse(context.Request.Query, resource, ns);
        var table = TableFormat.From(context.Request);
        if (table is null && query.Limit == 0 && string.IsNullOrEmpty(query.Continue))
        {
            // Unpaged (a cluster-wide list of thousands of objects): parsed and written one at a time.
            var (all, at) = await lister.ListAllAsync(resource, query.Filter, context.RequestAborted).ConfigureAwait(false);
            var allMetadata = new JsonObject { ["resourceVersion"] = at.ToString(CultureInfo.InvariantCulture) };
            await ResponseBodies.WriteListAsync(context, ListHead(resource, allMetadata), all.Select(i => WithTypeMeta(i, resource))).ConfigureAwait(false);
            return;
        }

        var (items, revision, next) = await lister.ListAsync(resource, query, context.RequestAborted).ConfigureAwait(false);
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (next is not null)
        {
            metadata["continue"] = next;
        }

        if (table is not null)
        {
            await StatusResponses.WriteJsonAsync(context, 200, tables.ToTable(resource, items, metadata, table.ApiVersion, table.IncludeObject)).ConfigureAwait(false);
            return;
        }

        await ResponseBodies.WriteListAsync(context, ListHead(resource, metadata), items.Select(i => WithTypeMeta(i, resource))).ConfigureAwait(false);
    }

    private static JsonObject ListHead(ResourceDefinition resource, JsonObject metadata) => new()
    {
        ["kind"] = resource.ListKind,
        ["apiVersion"] = resource.GroupVersion,
        ["metadata"] = metadata,
    };

    private async Task RequireActiveNamespaceAsync(string ns, CancellationToken ct)
    {
        var stored = await objects.GetStoredAsync(catalog.Find("", "v1", "namespaces")!, "", ns, ct).ConfigureAwait(false)
            ?? throw ApiException.NotFound("namespaces", ns);
        if (ObjectStore.Metadata(stored.Object)["deletionTimestamp"] is not null)
        {
            throw new ApiException(HttpStatusCode.Forbidden, "Forbidden", $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    private async Task WriteGetAsync(HttpContext context, ResourceDefinition resource, JsonObject obj)
    {
        if (TableFormat.From(context.Request) is { } table)
        {
            var metadata = new JsonObject { ["resourceVersion"] = ObjectStore.Metadata(obj)["resourceVersion"]?.DeepClone() };
            await StatusResponses.WriteJsonAsync(context, 200, tables.ToTable(resource, [WithTypeMeta(obj, resource)], metadata, table.ApiVersion, table.IncludeObject)).ConfigureAwait(false);
            return;
        }

        await WriteObjectAsync(context, 200, WithTypeMeta(obj, resource)).ConfigureAwait(false);
    }

    /// <summary>dryRun=All: admit and answer as if stored, store nothing. Other values are refused.</summary>
    private static bool DryRun(HttpContext context)
    {
        var values = context.Request.Query["dryRun"];
        if (values.Count == 0)
        {
            return false;
        }

        return values.All(v => v == "All")
            ? true
            : throw ApiException.BadRequest($"unsupported dryRun value \"{values}\": only \"All\" is supported");
    }

    private static JsonObject WithTypeMeta(JsonObject obj, ResourceDefinition resource)
    {
        obj["apiVersion"] = resource.GroupVersion;
        obj["kind"] = resource.Kind;
        return obj;
    }

    private static Task WriteObjectAsync(HttpContext context, int code, JsonObject obj) =>
        StatusResponses.WriteJsonAsync(context, code, obj);
}
