using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.FieldManagement;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http;

/// <summary>
/// What every write endpoint (the object itself, <c>/status</c>, <c>/scale</c>) reads from a
/// request for field management: the manager, the patch options upstream validates, an apply
/// configuration's checks, and the 409 an apply conflict answers.
/// </summary>
public static class FieldManagerRequests
{
    private const int MaxFieldManagerLength = 128;

    /// <summary>The fieldManager query parameter, or upstream's default: the user agent's program
    /// name ("kubectl" from "kubectl/v1.33.0 (linux/amd64) ...").</summary>
    public static string UpdateManager(HttpContext context)
    {
        var manager = context.Request.Query["fieldManager"].ToString();
        if (manager == "")
        {
            manager = context.Request.Headers.UserAgent.ToString().Split('/')[0];
        }

        manager = manager.Length > MaxFieldManagerLength ? manager[..MaxFieldManagerLength] : manager;
        return manager == "" ? "unknown" : manager;
    }

    /// <summary>The manager of an apply: required, so <see cref="CheckOptions"/> has refused its absence.</summary>
    public static string ApplyManager(HttpContext context) => context.Request.Query["fieldManager"].ToString();

    /// <summary>Records the fields this create, update or patch set in metadata.managedFields,
    /// under the request's field manager. A client that sends managed fields different from the
    /// stored ones replaces them, as upstream allows.</summary>
    public static void TrackUpdate(HttpContext context, ResourceDefinition resource, JsonObject? old, JsonObject updated, string now, string? subresource = null)
    {
        var baseline = old;
        var sent = ObjectStore.Metadata(updated)["managedFields"];
        if (old is not null && sent is JsonArray { Count: > 0 } && !JsonNode.DeepEquals(sent, ObjectStore.Metadata(old)["managedFields"]))
        {
            baseline = old.DeepClone().AsObject();
            ObjectStore.Metadata(baseline)["managedFields"] = sent.DeepClone();
        }

        var entries = FieldManager.Update(baseline, updated, resource.ModelType, UpdateManager(context), resource.GroupVersion, now, subresource);
        ManagedFieldsEntry.Write(updated, entries);
    }

    /// <summary>Upstream's validation of the patch and write options that concern field management.</summary>
    public static void CheckOptions(HttpContext context, string name, bool apply)
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

    public static bool Force(HttpContext context) => context.Request.Query["force"].ToString() switch
    {
        "" or "false" => false,
        "true" => true,
        var other => throw ApiException.BadRequest($"force must be true or false, not \"{other}\""),
    };

    /// <summary>Upstream's checks of an apply body: it names this kind and this object and does
    /// not carry managed fields. Removes the metadata the server owns (resourceVersion stays, as
    /// a precondition).</summary>
    /// <param name="kind">The kind the endpoint takes: the resource's, or the Scale for /scale.</param>
    public static void CheckApplyConfiguration(ResourceDefinition kind, RequestInfo info, JsonObject config)
    {
        var apiVersion = RequestBodies.String(config, "apiVersion");
        var configKind = RequestBodies.String(config, "kind");
        if (apiVersion != kind.GroupVersion || configKind != kind.Kind)
        {
            throw ApiException.BadRequest($"the apply configuration must have apiVersion \"{kind.GroupVersion}\" and kind \"{kind.Kind}\" (it has \"{apiVersion}\" and \"{configKind}\")");
        }

        if (config["metadata"] is not JsonObject metadata)
        {
            throw ApiException.BadRequest("the apply configuration has no metadata");
        }

        if (RequestBodies.String(metadata, "name") is { } name && name != info.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({name}) does not match the name on the URL ({info.Name})");
        }

        if (kind.Namespaced && RequestBodies.String(metadata, "namespace") is { Length: > 0 } ns && ns != info.Namespace)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (metadata["managedFields"] is not null)
        {
            throw ApiException.BadRequest("metadata.managedFields must be nil");
        }

        foreach (var field in new[] { "uid", "creationTimestamp", "generation", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            metadata.Remove(field);
        }
    }

    /// <summary>Upstream's 409 for apply conflicts: one cause per field, naming the manager.</summary>
    public static ApiException ConflictError(ResourceDefinition resource, string name, IReadOnlyList<FieldConflict> conflicts)
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
