using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Registry.Services;

/// <summary>
/// The <c>default/kubernetes</c> Service, by which pods reach the API: the first IP of the
/// service CIDR, port 443 (https) to the API port, with Endpoints and an EndpointSlice that list
/// every live API server (see <see cref="KubernetesEndpointsReconciler"/>). Like upstream's
/// bootstrap controller, the Service is created on start; its endpoints are written back
/// whenever they differ from the live servers.
/// </summary>
public static class KubernetesService
{
    public const string Name = "kubernetes";
    public const string Namespace = "default";

    /// <summary>Creates the Service if it is missing. Safe to run on every start of every
    /// server; needs the <c>default</c> namespace (SystemNamespaces first).</summary>
    public static Task EnsureAsync(ObjectStore objects, ResourceCatalog catalog, ServiceNetworkOptions network, int apiPort, CancellationToken cancellationToken) =>
        CreateOrRepairAsync(objects, catalog.Find("", "v1", "services")!, Service(network, apiPort), repair: null, cancellationToken);

    /// <summary>Writes the Endpoints and EndpointSlice so that they list
    /// <paramref name="servers"/> (sorted, as upstream's lease reconciler lists them), leaving
    /// them alone when they already do. Several servers may run it at once: each writes the
    /// same content for the same leases.</summary>
    public static async Task ReconcileEndpointsAsync(
        ObjectStore objects, ResourceCatalog catalog, IReadOnlyCollection<IPAddress> servers, int apiPort, CancellationToken cancellationToken)
    {
        if (servers.Count == 0)
        {
            // Upstream refuses too: the caller has just renewed its own lease, so none at all
            // means the datastore answered something odd, not that no server runs.
            throw new InvalidOperationException("no API server is listed in the datastore; refusing to erase every endpoint of the kubernetes Service");
        }

        var sorted = Sorted(servers);
        await CreateOrRepairAsync(objects, catalog.Find("", "v1", "endpoints")!, Endpoints(sorted, apiPort), "subsets", cancellationToken).ConfigureAwait(false);
        await CreateOrRepairAsync(objects, catalog.Find("discovery.k8s.io", "v1", "endpointslices")!, EndpointSlice(sorted, apiPort), "endpoints", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Upstream's order (RepackSubsets): by the address's text.</summary>
    public static List<IPAddress> Sorted(IEnumerable<IPAddress> servers) =>
        servers.Distinct().OrderBy(ip => ip.ToString(), StringComparer.Ordinal).ToList();

    public static JsonObject Service(ServiceNetworkOptions network, int apiPort)
    {
        var ip = network.KubernetesServiceIp.ToString();
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = Metadata(),
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["clusterIP"] = ip,
                ["clusterIPs"] = new JsonArray(ip),
                ["ipFamilyPolicy"] = "SingleStack",
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = apiPort }),
                ["sessionAffinity"] = "None",
                ["internalTrafficPolicy"] = "Cluster",
            },
            ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() },
        };
    }

    public static JsonObject Endpoints(IReadOnlyList<IPAddress> servers, int apiPort) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Endpoints",
        ["metadata"] = new JsonObject { ["name"] = Name, ["labels"] = new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" } },
        ["subsets"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(servers.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip.ToString() }).ToArray()),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = apiPort, ["protocol"] = "TCP" }),
        }),
    };

    /// <summary>One slice of one address family: the family of the first server (a cluster's
    /// API servers advertise one family).</summary>
    public static JsonObject EndpointSlice(IReadOnlyList<IPAddress> servers, int apiPort) => new()
    {
        ["apiVersion"] = "discovery.k8s.io/v1",
        ["kind"] = "EndpointSlice",
        ["metadata"] = new JsonObject { ["name"] = Name, ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = Name } },
        ["addressType"] = servers[0].AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
        ["endpoints"] = new JsonArray(servers.Where(ip => ip.AddressFamily == servers[0].AddressFamily).Select(ip => (JsonNode)new JsonObject
        {
            ["addresses"] = new JsonArray(ip.ToString()),
            ["conditions"] = new JsonObject { ["ready"] = true },
        }).ToArray()),
        ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = apiPort, ["protocol"] = "TCP" }),
    };

    private static JsonObject Metadata() => new()
    {
        ["name"] = Name,
        ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
    };

    /// <summary>Creates the object; if it exists and <paramref name="repair"/> names a field that
    /// differs from the wanted one, writes that field back.</summary>
    private static async Task CreateOrRepairAsync(ObjectStore objects, ResourceDefinition resource, JsonObject wanted, string? repair, CancellationToken cancellationToken)
    {
        try
        {
            // Looked up first: creating an existing Service would first fail on its taken IP.
            if (await objects.GetStoredAsync(resource, Namespace, Name, cancellationToken).ConfigureAwait(false) is null)
            {
                await objects.CreateAsync(resource, Namespace, wanted, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        catch (ApiException e) when (e.Reason == "AlreadyExists")
        {
        }
        catch (ApiException e) when (e.Reason == "Invalid")
        {
            // Two servers starting at once: the other one's create took the Service's IP between
            // our lookup and our create. Only when the object is still absent is it a real refusal.
            if (await objects.GetStoredAsync(resource, Namespace, Name, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new InvalidOperationException($"cannot create the {Namespace}/{Name} {resource.Kind}: {e.Message}", e);
            }
        }

        var stored = await objects.GetStoredAsync(resource, Namespace, Name, cancellationToken).ConfigureAwait(false);
        if (repair is null || stored is null || JsonNode.DeepEquals(stored.Object[repair], wanted[repair]))
        {
            return;
        }

        await objects.UpdateAsync(resource, Namespace, Name, current =>
        {
            current[repair] = wanted[repair]!.DeepClone();
            ObjectStore.Metadata(current).Remove("resourceVersion");
            return current;
        }, cancellationToken).ConfigureAwait(false);
    }
}
