using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Registry.Services;

/// <summary>What a Service holds from the shared pools: cluster IPs and node ports.</summary>
public sealed record ServiceHoldings(IReadOnlySet<string> Ips, IReadOnlySet<int> Ports)
{
    public static readonly ServiceHoldings Nothing = new(new HashSet<string>(), new HashSet<int>());
}

/// <summary>What a write changes in the pools: taken by the new object, given back by the old.</summary>
public sealed record AllocationChange(IReadOnlySet<string> NewIps, IReadOnlySet<int> NewPorts, IReadOnlySet<string> ReleasedIps, IReadOnlySet<int> ReleasedPorts);

/// <summary>
/// Upstream's Service allocation (pkg/registry/core/service/storage/alloc.go and the service
/// strategy): fills in spec.clusterIP(s), ipFamilies, ipFamilyPolicy and node ports of a Service
/// being created or updated, honouring requested values that are in range and free, and says
/// which IPs and ports change hands. Single-stack: the cluster has one service CIDR. Pure given
/// the pools' taken values and the random source; refusals are 422 Invalid listing every field,
/// an exhausted pool is upstream's 500 InternalError.
/// </summary>
public sealed partial class ServiceAllocator(ServiceNetworkOptions options)
{
    private readonly IpRange _range = new(options.ServiceCidr);

    public IpRange Range => _range;

    /// <summary>The node port static band (KEP-3668): min(max(16, size/32), 128).</summary>
    public int NodePortStaticBand => Math.Min(Math.Max(16, (options.NodePortLast - options.NodePortFirst + 1) / 32), 128);

    /// <summary>Fills in <paramref name="service"/> (created when <paramref name="old"/> is null,
    /// else updated from it) and returns the pool changes.</summary>
    public AllocationChange Plan(ResourceDefinition resource, JsonObject? old, JsonObject service, ServiceHoldings taken, Random random)
    {
        var spec = service["spec"] as JsonObject ?? [];
        service["spec"] = spec;
        var oldSpec = old?["spec"] as JsonObject;
        if (oldSpec is not null)
        {
            ServiceUpdateRules.DropTypeDependentFields(oldSpec, spec);
            ServiceUpdateRules.PatchAllocatedValues(oldSpec, spec);
            ServiceUpdateRules.NormalizeClusterIps(oldSpec, spec);
        }

        var errors = new List<FieldError>();
        if (Type(spec) == "ExternalName")
        {
            CheckExternalName(spec, errors);
        }
        else
        {
            // From ExternalName to a type with a cluster IP is a fresh allocation.
            AssignClusterIp(oldSpec is null || Type(oldSpec) == "ExternalName" ? null : oldSpec, spec, taken, random, errors);
        }

        var oldPorts = Holdings(old).Ports;
        AssignNodePorts(spec, oldPorts, taken, random, errors);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(resource, ObjectStore.Metadata(service)["name"]?.ToString() ?? "", errors);
        }

        var before = Holdings(old);
        var after = Holdings(service);
        return new AllocationChange(
            after.Ips.Except(before.Ips).ToHashSet(),
            after.Ports.Except(before.Ports).ToHashSet(),
            before.Ips.Except(after.Ips).ToHashSet(),
            before.Ports.Except(after.Ports).ToHashSet());
    }

    /// <summary>The IPs and node ports a stored Service holds.</summary>
    public static ServiceHoldings Holdings(JsonObject? service)
    {
        if (service?["spec"] is not JsonObject spec)
        {
            return ServiceHoldings.Nothing;
        }

        var ips = new HashSet<string>();
        if (Type(spec) != "ExternalName")
        {
            foreach (var ip in Strings(spec["clusterIPs"]).Append(Str(spec["clusterIP"])))
            {
                if (!string.IsNullOrEmpty(ip) && ip != "None")
                {
                    ips.Add(ip);
                }
            }
        }

        var ports = new HashSet<int>();
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Int(port["nodePort"]) is > 0 and var nodePort)
            {
                ports.Add(nodePort);
            }
        }

        if (Int(spec["healthCheckNodePort"]) is > 0 and var health)
        {
            ports.Add(health);
        }

        return new ServiceHoldings(ips, ports);
    }

    private static void CheckExternalName(JsonObject spec, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(Str(spec["externalName"])))
        {
            errors.Add(new FieldError("spec.externalName", "Required value", ""));
        }

        foreach (var field in new[] { "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy" })
        {
            var value = spec[field];
            if (value is not null && !(value is JsonArray { Count: 0 }) && Str(value) != "")
            {
                errors.Add(new FieldError($"spec.{field}", "Forbidden", "may not be set for ExternalName services"));
            }
        }
    }

    internal static string Type(JsonObject spec) => Str(spec["type"]) ?? "ClusterIP";

    internal static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A port number: decoded bodies and stored objects read as any numeric type
    /// (JsonNumbers), and the server writes ports as ints.</summary>
    internal static int Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;

    internal static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(Str).Where(s => s is not null).Select(s => s!).ToList();

    internal static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static ApiException Exhausted(string what) =>
        new(HttpStatusCode.InternalServerError, "InternalError", $"Internal error occurred: failed to allocate a {what}: range is full");
}
