using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Registry.Services;

/// <summary>
/// The <c>default/kubernetes</c> Service, by which pods reach the API: the first IP of the
/// service CIDR, port 443 (https) to the API port, with Endpoints and an EndpointSlice that list
/// the server's advertise address. Like upstream's bootstrap controller, it is created on start
/// and repaired if its endpoints point elsewhere.
/// </summary>
/// <remarks>This lists the one server that runs it; listing every live API server of a cluster
/// is the job of the endpoints reconciler among the control loops (ARCHITECTURE 2.4).</remarks>
public static class KubernetesService
{
    public const string Name = "kubernetes";
    public const string Namespace = "default";

    /// <summary>Creates or repairs the Service, its Endpoints and EndpointSlice. Safe to run on
    /// every start of every server; needs the <c>default</c> namespace (SystemNamespaces first).</summary>
    public static async Task EnsureAsync(
        ObjectStore objects, ResourceCatalog catalog, ServiceNetworkOptions network, IPAddress advertiseAddress, int apiPort, CancellationToken cancellationToken)
    {
        await CreateOrRepairAsync(objects, catalog.Find("", "v1", "services")!, Service(network, apiPort), repair: null, cancellationToken).ConfigureAwait(false);
        await CreateOrRepairAsync(objects, catalog.Find("", "v1", "endpoints")!, Endpoints(advertiseAddress, apiPort), "subsets", cancellationToken).ConfigureAwait(false);
        var slice = EndpointSlice(advertiseAddress, apiPort);
        await CreateOrRepairAsync(objects, catalog.Find("discovery.k8s.io", "v1", "endpointslices")!, slice, "endpoints", cancellationToken).ConfigureAwait(false);
    }

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

    public static JsonObject Endpoints(IPAddress advertiseAddress, int apiPort) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Endpoints",
        ["metadata"] = new JsonObject { ["name"] = Name, ["labels"] = new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" } },
        ["subsets"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(new JsonObject { ["ip"] = advertiseAddress.ToString() }),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = apiPort, ["protocol"] = "TCP" }),
        }),
    };

    public static JsonObject EndpointSlice(IPAddress advertiseAddress, int apiPort) => new()
    {
        ["apiVersion"] = "discovery.k8s.io/v1",
        ["kind"] = "EndpointSlice",
        ["metadata"] = new JsonObject { ["name"] = Name, ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = Name } },
        ["addressType"] = advertiseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
        ["endpoints"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(advertiseAddress.ToString()),
            ["conditions"] = new JsonObject { ["ready"] = true },
        }),
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
            throw new InvalidOperationException($"cannot create the {Namespace}/{Name} {resource.Kind}: {e.Message}", e);
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
