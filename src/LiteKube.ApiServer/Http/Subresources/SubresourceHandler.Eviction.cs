using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Lifecycle;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary><c>pods/eviction</c> (kubectl drain): deletes the pod unless the one
/// PodDisruptionBudget that selects it has no disruption to spare (429, drain retries).</summary>
public sealed partial class SubresourceHandler
{
    private async Task EvictAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var ct = context.RequestAborted;
        var eviction = await ReadBodyAsync(context, SubresourceKinds.Eviction, info, ct).ConfigureAwait(false);

        // Upstream deletes the pod with the eviction's own DeleteOptions (grace period, preconditions).
        var options = eviction["deleteOptions"] is { } given ? DeleteOptions.FromBody(given) : DeleteOptions.Default;
        var dryRun = DryRun(context) || options.DryRun;
        try
        {
            await SpendBudgetAsync(resource, info, dryRun, ct).ConfigureAwait(false);
        }
        catch (EvictionRefusedException refused)
        {
            await StatusResponses.WriteJsonAsync(context, 429, refused.Status).ConfigureAwait(false);
            return;
        }

        await context.RequestServices.GetRequiredService<ObjectDeleter>()
            .DeleteAsync(resource, info.Namespace, info.Name, options with { DryRun = dryRun }, ct).ConfigureAwait(false);

        await StatusResponses.WriteJsonAsync(context, 201, Success(201)).ConfigureAwait(false);
    }

    /// <summary>Returns when the pod may be deleted, having spent a disruption of its budget if
    /// one counts it; throws the refusal otherwise.</summary>
    private async Task SpendBudgetAsync(ResourceDefinition pods, RequestInfo info, bool dryRun, CancellationToken ct)
    {
        var pod = await objects.GetAsync(pods, info.Namespace, info.Name, ct).ConfigureAwait(false);
        if (DisruptionBudgets.CanIgnoreBudgets(pod))
        {
            return;
        }

        var budgets = catalog.Find("policy", "v1", "poddisruptionbudgets")!;
        var (items, _, _) = await objects.ListAsync(budgets, info.Namespace, null, 0, 0, ct).ConfigureAwait(false);
        var selecting = DisruptionBudgets.Selecting(pod, items.Select(i => i.Object));
        if (selecting.Count > 1)
        {
            throw new ApiException(HttpStatusCode.InternalServerError, "InternalError",
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }

        if (selecting.Count == 0 || DisruptionBudgets.UnhealthyPodMayGo(pod, selecting[0]))
        {
            return;
        }

        var budgetName = ObjectStore.Metadata(selecting[0])["name"]!.ToString();
        var now = ObjectStore.Rfc3339(time.GetUtcNow());
        await objects.UpdateAsync(budgets, info.Namespace, budgetName, dryRun, budget =>
        {
            DisruptionBudgets.CheckAndDecrement(budget, info.Name, now);
            // Re-read and re-decide on a concurrent write rather than failing the eviction.
            ObjectStore.Metadata(budget).Remove("resourceVersion");
            return budget;
        }, ct).ConfigureAwait(false);
    }
}
