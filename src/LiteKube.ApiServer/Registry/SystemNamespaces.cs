using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Registry;

/// <summary>The namespaces every cluster has from its first start.</summary>
public static class SystemNamespaces
{
    public static readonly IReadOnlyList<string> Names = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>Creates those that are missing; safe to run on every start of every server.</summary>
    public static async Task EnsureAsync(ObjectStore objects, ResourceCatalog catalog, CancellationToken cancellationToken)
    {
        var resource = catalog.Find("", "v1", "namespaces")!;
        foreach (var name in Names)
        {
            var ns = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = name } },
                ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
                ["status"] = new JsonObject { ["phase"] = "Active" },
            };
            try
            {
                await objects.CreateAsync(resource, "", ns, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Reason == "AlreadyExists")
            {
            }
        }
    }
}
