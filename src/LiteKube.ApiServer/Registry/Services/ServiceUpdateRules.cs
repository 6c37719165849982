using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Registry.Services;

/// <summary>
/// How an update of a Service treats allocated values the client did not mention (upstream's
/// dropTypeDependentFields and patchAllocatedValues): a PUT without clusterIP or nodePort keeps
/// the allocated ones; a type change drops values the new type cannot have, if the client left
/// them as they were. Pure.
/// </summary>
public static class ServiceUpdateRules
{
    public static void DropTypeDependentFields(JsonObject oldSpec, JsonObject spec)
    {
        var oldType = ServiceAllocator.Type(oldSpec);
        var type = ServiceAllocator.Type(spec);
        if (oldType != "ExternalName" && type == "ExternalName")
        {
            if (Same(oldSpec, spec, "clusterIP") && Same(oldSpec, spec, "clusterIPs"))
            {
                spec.Remove("clusterIP");
                spec.Remove("clusterIPs");
            }

            RemoveIfSame(oldSpec, spec, "ipFamilies");
            RemoveIfSame(oldSpec, spec, "ipFamilyPolicy");
        }

        if (NeedsNodePorts(oldType) && !NeedsNodePorts(type) && NodePorts(oldSpec).SequenceEqual(NodePorts(spec)))
        {
            foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                port.Remove("nodePort");
            }
        }

        if (NeedsHealthCheck(oldSpec) && !NeedsHealthCheck(spec))
        {
            RemoveIfSame(oldSpec, spec, "healthCheckNodePort");
        }

        if (type != "LoadBalancer")
        {
            spec.Remove("allocateLoadBalancerNodePorts");
        }

        if (NeedsNodePorts(oldType) && !NeedsNodePorts(type))
        {
            RemoveIfSame(oldSpec, spec, "externalTrafficPolicy");
        }
    }

    public static void PatchAllocatedValues(JsonObject oldSpec, JsonObject spec)
    {
        var oldType = ServiceAllocator.Type(oldSpec);
        var type = ServiceAllocator.Type(spec);
        if (oldType != "ExternalName" && type != "ExternalName")
        {
            if (string.IsNullOrEmpty(ServiceAllocator.Str(spec["clusterIP"])) && oldSpec["clusterIP"] is { } ip)
            {
                spec["clusterIP"] = ip.DeepClone();
            }

            if (spec["clusterIPs"] is not JsonArray { Count: > 0 } && oldSpec["clusterIPs"] is JsonArray { Count: > 0 } ips)
            {
                spec["clusterIPs"] = ips.DeepClone();
            }
        }

        if (NeedsNodePorts(oldType) && NeedsNodePorts(type))
        {
            var used = NodePorts(spec).Where(p => p != 0).ToHashSet();
            var byName = new Dictionary<string, int>();
            foreach (var port in (oldSpec["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                byName.TryAdd(ServiceAllocator.Str(port["name"]) ?? "", ServiceAllocator.Int(port["nodePort"]));
            }

            foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (ServiceAllocator.Int(port["nodePort"]) == 0
                    && byName.TryGetValue(ServiceAllocator.Str(port["name"]) ?? "", out var previous) && previous != 0 && !used.Contains(previous))
                {
                    port["nodePort"] = previous;
                    used.Add(previous);
                }
            }
        }

        if (NeedsHealthCheck(oldSpec) && NeedsHealthCheck(spec) && ServiceAllocator.Int(spec["healthCheckNodePort"]) == 0 && oldSpec["healthCheckNodePort"] is { } health)
        {
            spec["healthCheckNodePort"] = health.DeepClone();
        }
    }

    /// <summary>Upstream's normalizeClusterIPs on update: a client that changed only the singular
    /// clusterIP (an old client) means the plural to follow it.</summary>
    public static void NormalizeClusterIps(JsonObject oldSpec, JsonObject spec)
    {
        if (Same(oldSpec, spec, "clusterIPs") && !Same(oldSpec, spec, "clusterIP"))
        {
            var ip = ServiceAllocator.Str(spec["clusterIP"]);
            if (string.IsNullOrEmpty(ip))
            {
                spec.Remove("clusterIPs");
            }
            else
            {
                spec["clusterIPs"] = new JsonArray(ip);
            }
        }
    }

    private static bool NeedsNodePorts(string type) => type is "NodePort" or "LoadBalancer";

    private static bool NeedsHealthCheck(JsonObject spec) =>
        ServiceAllocator.Type(spec) == "LoadBalancer" && ServiceAllocator.Str(spec["externalTrafficPolicy"]) == "Local";

    private static IEnumerable<int> NodePorts(JsonObject spec) =>
        (spec["ports"] as JsonArray ?? []).OfType<JsonObject>().Select(p => ServiceAllocator.Int(p["nodePort"]));

    private static bool Same(JsonObject oldSpec, JsonObject spec, string field) => JsonNode.DeepEquals(oldSpec[field], spec[field]);

    private static void RemoveIfSame(JsonObject oldSpec, JsonObject spec, string field)
    {
        if (Same(oldSpec, spec, field))
        {
            spec.Remove(field);
        }
    }
}
