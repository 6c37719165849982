using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;

namespace LiteKube.ApiServer.Registry.Services;

/// <summary>Node ports and the health check node port (upstream's initNodePorts,
/// updateNodePorts and allocHealthCheckNodePort; ports are shared by protocol).</summary>
public sealed partial class ServiceAllocator
{
    /// <param name="held">Ports the stored Service holds already: requesting them again is fine.</param>
    private void AssignNodePorts(JsonObject spec, IReadOnlySet<int> held, ServiceHoldings taken, Random random, List<FieldError> errors)
    {
        var type = Type(spec);
        var ports = (spec["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var needsNodePorts = type is "NodePort" or "LoadBalancer";
        var chosen = new HashSet<int>();
        if (!needsNodePorts)
        {
            for (var i = 0; i < ports.Count; i++)
            {
                if (Int(ports[i]["nodePort"]) != 0)
                {
                    errors.Add(new FieldError($"spec.ports[{i}].nodePort", "Forbidden", $"may not be used when `type` is '{type}'"));
                }
            }
        }
        else
        {
            // A LoadBalancer may do without node ports, but then only requested ones are taken.
            var allocate = type == "NodePort" || spec["allocateLoadBalancerNodePorts"]?.GetValue<bool>() != false;
            var byServicePort = new Dictionary<int, int>();
            var seen = new HashSet<(int NodePort, string Protocol)>();
            for (var i = 0; i < ports.Count; i++)
            {
                var requested = Int(ports[i]["nodePort"]);
                if (requested == 0 && !allocate)
                {
                    continue;
                }

                var servicePort = Int(ports[i]["port"]);
                var nodePort = requested != 0
                    ? Requested(requested, $"spec.ports[{i}].nodePort", held, chosen, taken, errors)
                    : byServicePort.TryGetValue(servicePort, out var shared) ? shared : PickPort(chosen, taken, random);
                if (nodePort == 0)
                {
                    continue;
                }

                var protocol = Str(ports[i]["protocol"]) ?? "TCP";
                if (!seen.Add((nodePort, protocol)))
                {
                    errors.Add(new FieldError($"spec.ports[{i}].nodePort", "Duplicate value", Format(nodePort)));
                }

                ports[i]["nodePort"] = nodePort;
                chosen.Add(nodePort);
                byServicePort.TryAdd(servicePort, nodePort);
            }
        }

        AssignHealthCheckNodePort(spec, held, chosen, taken, random, errors);
    }

    /// <summary>Only a LoadBalancer with externalTrafficPolicy Local has a health check port.</summary>
    private void AssignHealthCheckNodePort(JsonObject spec, IReadOnlySet<int> held, HashSet<int> chosen, ServiceHoldings taken, Random random, List<FieldError> errors)
    {
        var requested = Int(spec["healthCheckNodePort"]);
        if (!(Type(spec) == "LoadBalancer" && Str(spec["externalTrafficPolicy"]) == "Local"))
        {
            if (requested != 0)
            {
                errors.Add(new FieldError("spec.healthCheckNodePort", "Invalid value",
                    $"{Format(requested)}: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
            }

            return;
        }

        var port = requested != 0 ? Requested(requested, "spec.healthCheckNodePort", held, chosen, taken, errors) : PickPort(chosen, taken, random);
        if (port != 0)
        {
            chosen.Add(port);
            spec["healthCheckNodePort"] = port;
        }
    }

    /// <summary>0 (with an error) when the port is out of range or taken by another Service.</summary>
    private int Requested(int port, string field, IReadOnlySet<int> held, HashSet<int> chosen, ServiceHoldings taken, List<FieldError> errors)
    {
        if (port < options.NodePortFirst || port > options.NodePortLast)
        {
            errors.Add(new FieldError(field, "Invalid value",
                $"{Format(port)}: provided port is not in the valid range. The range of valid ports is {Format(options.NodePortFirst)}-{Format(options.NodePortLast)}"));
            return 0;
        }

        if (!held.Contains(port) && !chosen.Contains(port) && taken.Ports.Contains(port))
        {
            errors.Add(new FieldError(field, "Invalid value", $"{Format(port)}: provided port is already allocated"));
            return 0;
        }

        return port;
    }

    private int PickPort(HashSet<int> chosen, ServiceHoldings taken, Random random) =>
        FreeSlot.Pick(options.NodePortFirst, options.NodePortLast, NodePortStaticBand, p => chosen.Contains(p) || taken.Ports.Contains(p), random)
            ?? throw Exhausted("nodePort");
}
