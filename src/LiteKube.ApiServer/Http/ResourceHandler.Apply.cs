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
    private const int MaxFieldManagerLength = 128;

    /// <summary>Applies a configuration: creates the object when absent, otherwise merges it with
    /// field ownership (409 listing the conflicts unless force=true). Retried when someone else
    /// writes in between, as patch is.</summary>
    private async Task ApplyAsync(HttpContext context, ResourceDefinition resource, RequestInfo info, JsonObject config)
    {
        var ct = context.RequestAborted;
        var manager = context.Request.Query["fieldManager"].ToString();
        var force = ForceOption(context);
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
                throw ConflictError(resource, info.Name, result.Conflicts);
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

    /// <summary>Upstream's checks of an apply body: it names this kind and this object and does
    /// not carry managed fields.</summary>
    private static void CheckApplyConfiguration(ResourceDefinition resource, RequestInfo info, JsonObject config)
    {
        var apiVersion = RequestBodies.String(config, "apiVersion");
        var kind = RequestBodies.String(config, "kind");
        if (apiVersion != resource.GroupVersion || kind != resource.Kind)
        {
            throw ApiException.BadRequest($"the apply configuration must have apiVersion \"{resource.GroupVersion}\" and kind \"{resource.Kind}\" (it has \"{apiVersion}\" and \"{kind}\")");
        }

        if (config["metadata"] is not JsonObject metadata)
        {
            throw ApiException.BadRequest("the apply configuration has no metadata");
        }

        if (RequestBodies.String(metadata, "name") is { } name && name != info.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({name}) does not match the name on the URL ({info.Name})");
        }

        if (resource.Namespaced && RequestBodies.String(metadata, "namespace") is { Length: > 0 } ns && ns != info.Namespace)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (metadata["managedFields"] is not null)
        {
            throw ApiException.BadRequest("metadata.managedFields must be nil");
        }

        // Facts the server owns; resourceVersion stays, as a precondition.
        foreach (var field in new[] { "uid", "creationTimestamp", "generation", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            metadata.Remove(field);
        }

        // The status subresource owns status: an apply to the object itself leaves it alone.
        if (resource.Subresources.Contains("status"))
        {
            config.Remove("status");
        }
    }

    /// <summary>Records the fields this create, update or patch set in metadata.managedFields,
    /// under the request's field manager. A client that sends managed fields different from the
    /// stored ones replaces them, as upstream allows.</summary>
    private void TrackFields(HttpContext context, ResourceDefinition resource, JsonObject? old, JsonObject updated)
    {
        var baseline = old;
        var sent = ObjectStore.Metadata(updated)["managedFields"];
        if (old is not null && sent is JsonArray { Count: > 0 } && !JsonNode.DeepEquals(sent, ObjectStore.Metadata(old)["managedFields"]))
        {
            baseline = old.DeepClone().AsObject();
            ObjectStore.Metadata(baseline)["managedFields"] = sent.DeepClone();
        }

        var entries = FieldManager.Update(baseline, updated, resource.ModelType, UpdateManager(context), resource.GroupVersion, ObjectStore.Rfc3339(objects.Now));
        ManagedFieldsEntry.Write(updated, entries);
    }

    /// <summary>The fieldManager query parameter, or upstream's default: the user agent's program
    /// name ("kubectl" from "kubectl/v1.33.0 (linux/amd64) ...").</summary>
    private static string UpdateManager(HttpContext context)
    {
        var manager = context.Request.Query["fieldManager"].ToString();
        if (manager == "")
        {
            manager = context.Request.Headers.UserAgent.ToString().Split('/')[0];
        }

        manager = manager.Length > MaxFieldManagerLength ? manager[..MaxFieldManagerLength] : manager;
        return manager == "" ? "unknown" : manager;
    }

    /// <summary>Upstream's validation of the patch and write options that concern field management.</summary>
    private static void CheckFieldManagerOptions(HttpContext context, ResourceDefinition resource, string name, bool apply)
    {
        var errors = new List<FieldError>();
        var manager = context.Request.Query["fieldManager"].ToString();
        if (apply && manager == "")
        {
            errors.Add(new FieldError("fieldManager", "FieldValueRequired", "is required for apply patch"));
        }

        if (manager.Length > MaxFieldManagerLength)
        {
            errors.Add(new FieldError("fieldManager", "FieldValueTooLong", $"may not be more than {MaxFieldManagerLength} bytes"));
        }

        if (manager.Any(char.IsControl))
        {
            errors.Add(new FieldError("fieldManager", "FieldValueInvalid", "may not contain control characters"));
        }

        if (!apply && context.Request.Query.ContainsKey("force"))
        {
            errors.Add(new FieldError("force", "FieldValueForbidden", "may not be specified for non-apply patch"));
        }

        if (errors.Count > 0)
        {
            throw new ApiException((HttpStatusCode)422, "Invalid",
                $"PatchOptions.meta.k8s.io \"{name}\" is invalid: " + string.Join(", ", errors.Select(e => $"{e.Field}: {e.Detail}")))
            {
                Details = new StatusDetails(name, "PatchOptions", "meta.k8s.io") { Causes = errors },
            };
        }
    }

    private static bool ForceOption(HttpContext context) => context.Request.Query["force"].ToString() switch
    {
        "" or "false" => false,
        "true" => true,
        var other => throw ApiException.BadRequest($"force must be true or false, not \"{other}\""),
    };

    /// <summary>Upstream's 409 for apply conflicts: one cause per field, naming the manager.</summary>
    private static ApiException ConflictError(ResourceDefinition resource, string name, IReadOnlyList<FieldConflict> conflicts)
    {
        var causes = conflicts.Select(c => new FieldError(c.Field, "FieldManagerConflict", $"conflict with \"{c.Manager}\" using {c.ApiVersion}")).ToList();
        var lines = conflicts.GroupBy(c => (c.Manager, c.ApiVersion))
            .Select(g => $"conflict with \"{g.Key.Manager}\" using {g.Key.ApiVersion}: " + string.Join(", ", g.Select(c => c.Field)));
        var message = conflicts.Count == 1
            ? $"Apply failed with 1 conflict: {lines.Single()}"
            : $"Apply failed with {conflicts.Count} conflicts: " + string.Join("\n", lines);
        return new ApiException(HttpStatusCode.Conflict, "Conflict", message)
        {
            Details = new StatusDetails(name, resource.Kind, resource.Group) { Causes = causes },
        };
    }
}
