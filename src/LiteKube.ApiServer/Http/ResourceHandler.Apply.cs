using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.FieldManagement;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LiteKube.ApiServer.Http;

/// <summary>Server-side apply (<c>application/apply-patch+yaml</c>) and the managed fields
/// every other write records.</summary>
public sealed partial class ResourceHandler
{
    /// <summary>Applies a configuration: creates the object when absent, otherwise merges it with
    /// field ownership (409 listing the conflicts unless force=true). Retried when someone else
    /// writes in between, as patch is.</summary>
    private async Task ApplyAsync(HttpContext context, ResourceDefinition resource, RequestInfo info, JsonObject config)
    {
        var ct = context.RequestAborted;
        var manager = FieldManagerRequests.ApplyManager(context);
        var force = FieldManagerRequests.Force(context);
        CheckApplyConfiguration(resource, info, config);
        var security = context.RequestServices.GetRequiredService<RequestSecurity>();
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var stored = await objects.GetStoredAsync(resource, info.Namespace, info.Name, ct).ConfigureAwait(false);
            var now = ObjectStore.Rfc3339(objects.Now);
            var result = FieldManager.Apply(stored?.Object, config, resource.ModelType, manager, resource.GroupVersion, force, now);
            if (result.Conflicts.Count > 0)
            {
                throw FieldManagerRequests.ConflictError(resource, info.Name, result.Conflicts);
            }

            var applied = result.Object!;
            applied["apiVersion"] = resource.GroupVersion;
            applied["kind"] = resource.Kind;
            var metadata = ObjectStore.Metadata(applied);
            metadata["name"] = info.Name;
            if (resource.Namespaced)
            {
                metadata["namespace"] = info.Namespace;
            }

            await security.AdmitWriteAsync(context, resource, info.Namespace, applied).ConfigureAwait(false);
            try
            {
                if (stored is null)
                {
                    if (resource.Namespaced)
                    {
                        await RequireActiveNamespaceAsync(info.Namespace, ct).ConfigureAwait(false);
                    }

                    admission.Admit(context, resource, applied);
                    ManagedFieldsEntry.Write(applied, result.Entries);
                    await context.RequestServices.GetRequiredService<Admission.PodServiceAccountAdmission>().AdmitCreateAsync(resource, info.Namespace, applied, ct).ConfigureAwait(false);
                    var created = await objects.CreateAsync(resource, info.Namespace, applied, DryRun(context), ct).ConfigureAwait(false);
                    await WriteObjectAsync(context, 201, created).ConfigureAwait(false);
                    return;
                }

                admission.Admit(context, resource, applied);
                Admission.PodUpdateRules.Check(resource, stored.Object, applied);
                ManagedFieldsEntry.Write(applied, result.Entries);
                metadata["generation"] = ObjectStore.NextGeneration(stored.Object, applied);
                var updated = await objects.UpdateAsync(resource, info.Namespace, info.Name, DryRun(context), _ => applied, ct).ConfigureAwait(false);
                await WriteObjectAsync(context, 200, updated).ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.Reason is "Conflict" or "AlreadyExists" && attempt < attempts)
            {
                // Someone wrote in between: apply again to what is stored now.
            }
        }
    }

    /// <summary>The main resource's apply: the shared checks, and the status subresource owns
    /// status, so an apply to the object itself leaves it alone.</summary>
    private static void CheckApplyConfiguration(ResourceDefinition resource, RequestInfo info, JsonObject config)
    {
        FieldManagerRequests.CheckApplyConfiguration(resource, info, config);
        if (resource.Subresources.Contains("status"))
        {
            config.Remove("status");
        }
    }

    private void TrackFields(HttpContext context, ResourceDefinition resource, JsonObject? old, JsonObject updated) =>
        FieldManagerRequests.TrackUpdate(context, resource, old, updated, ObjectStore.Rfc3339(objects.Now));
}
