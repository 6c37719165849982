using System.Globalization;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary><c>namespaces/finalize</c>: how the namespace's finalizer owner (spec.finalizers,
/// not metadata.finalizers) releases it. Upstream's finalize strategy: the body is stored, its
/// status is not.</summary>
public sealed partial class SubresourceHandler
{
    // Finalizer names that need no domain prefix (upstream's IsStandardFinalizerName).
    private static readonly HashSet<string> StandardFinalizers = ["kubernetes", "orphan", "foregroundDeletion"];

    private async Task FinalizeAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var ct = context.RequestAborted;
        var body = await RequestBodies.ReadObjectAsync(context, resource, info.Namespace, ct).ConfigureAwait(false);
        RequestBodies.RequireNameMatches(body, info.Name);
        admission.AdmitStatus(context, resource, body);
        var errors = new List<FieldError>();
        var finalizers = body["spec"]?["finalizers"] as JsonArray ?? [];
        for (var i = 0; i < finalizers.Count; i++)
        {
            var name = finalizers[i]?.ToString() ?? "";
            if (!Selectors.LabelSyntax.IsQualifiedName(name))
            {
                errors.Add(new FieldError($"spec.finalizers[{i}]", "Invalid value", $"\"{name}\": a finalizer must be a qualified name"));
            }
            else if (!name.Contains('/') && !StandardFinalizers.Contains(name))
            {
                errors.Add(new FieldError($"spec.finalizers[{i}]", "Invalid value", $"\"{name}\": name is neither a standard finalizer name nor is it fully qualified"));
            }
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(resource, info.Name, errors);
        }

        // Written directly: the store's update path keeps spec.finalizers of namespaces from
        // every other writer (FinalizerRules), /finalize is the one way to change them.
        var wantedVersion = ObjectStore.Metadata(body)["resourceVersion"]?.ToString();
        JsonObject updated;
        while (true)
        {
            var stored = await objects.GetStoredAsync(resource, info.Namespace, info.Name, ct).ConfigureAwait(false)
                ?? throw ApiException.NotFound(resource.QualifiedName, info.Name);
            if (!string.IsNullOrEmpty(wantedVersion) && wantedVersion != stored.Revision.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(resource.QualifiedName, info.Name, "the object has been modified; please apply your changes to the latest version and try again");
            }

            updated = body.DeepClone().AsObject();
            if (stored.Object["status"] is { } status)
            {
                updated["status"] = status.DeepClone();
            }

            KeepServerMetadata(stored.Object, updated);
            // metadata.finalizers belong to their owners and the deletion path, not to /finalize.
            var updatedMetadata = ObjectStore.Metadata(updated);
            updatedMetadata.Remove("finalizers");
            if (ObjectStore.Metadata(stored.Object)["finalizers"] is { } metadataFinalizers)
            {
                updatedMetadata["finalizers"] = metadataFinalizers.DeepClone();
            }
            if (DryRun(context))
            {
                break;
            }

            // A terminating namespace with nothing left to wait for is gone (upstream's ShouldDeleteDuringUpdate).
            var released = ObjectStore.Metadata(stored.Object)["deletionTimestamp"] is not null && finalizers.Count == 0
                && ObjectStore.Metadata(updated)["finalizers"] is not JsonArray { Count: > 0 };
            if (released
                ? await objects.RemoveAsync(resource, info.Namespace, info.Name, stored.Revision, ct).ConfigureAwait(false)
                : await objects.WriteAtAsync(resource, info.Namespace, info.Name, updated, stored.Revision, ct).ConfigureAwait(false))
            {
                break;
            }

            if (!string.IsNullOrEmpty(wantedVersion))
            {
                throw ApiException.Conflict(resource.QualifiedName, info.Name, "the object has been modified; please apply your changes to the latest version and try again");
            }
        }

        await StatusResponses.WriteJsonAsync(context, 200, WithTypeMeta(updated, resource)).ConfigureAwait(false);
    }
}
