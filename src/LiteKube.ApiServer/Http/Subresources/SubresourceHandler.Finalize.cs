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
        RequireNameMatches(body, info.Name);
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

        var updated = await objects.UpdateAsync(resource, info.Namespace, info.Name, DryRun(context), current =>
        {
            var next = body.DeepClone().AsObject();
            if (current["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }

            KeepServerMetadata(current, next);
            return next;
        }, ct).ConfigureAwait(false);
        await StatusResponses.WriteJsonAsync(context, 200, WithTypeMeta(updated, resource)).ConfigureAwait(false);
    }
}
