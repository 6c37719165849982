using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Selectors;

namespace LiteKube.ApiServer.Admission;

public sealed class PodStrategy : IResourceStrategy
{
    public string Kind => "Pod";

    public void Default(JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject;
        if (spec is null)
        {
            return;
        }

        PodTemplateRules.DefaultSpec(spec);
        // serviceAccountName: set on create by PodServiceAccountAdmission, as upstream's admission does.
        spec["priority"] ??= 0;
        obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
    }

    public void Validate(JsonObject obj, List<FieldError> errors) =>
        PodTemplateRules.ValidateSpec(obj["spec"] as JsonObject, "spec", errors);
}

/// <summary>Deployments, replica sets, stateful sets and daemon sets: a selector, a template whose
/// labels it selects, and upstream's defaults for each.</summary>
public sealed class WorkloadStrategy(string kind) : IResourceStrategy
{
    public string Kind => kind;

    public void Default(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            return;
        }

        switch (kind)
        {
            case "Deployment":
                AppsDefaults.Deployment(spec);
                break;
            case "ReplicaSet":
                AppsDefaults.ReplicaSet(spec);
                break;
            case "StatefulSet":
                AppsDefaults.StatefulSet(spec);
                break;
            case "DaemonSet":
                AppsDefaults.DaemonSet(spec);
                break;
        }

        if (spec["template"]?["spec"] is JsonObject podSpec)
        {
            PodTemplateRules.DefaultSpec(podSpec);
        }
    }

    public void Validate(JsonObject obj, List<FieldError> errors)
    {
        var spec = obj["spec"] as JsonObject;
        if (spec is null)
        {
            errors.Add(new FieldError("spec", "Required value", ""));
            return;
        }

        if (spec["replicas"] is JsonValue r && r.TryGetValue<long>(out var replicas) && replicas < 0)
        {
            errors.Add(new FieldError("spec.replicas", "Invalid value", $"{replicas}: must be greater than or equal to 0"));
        }

        var selector = spec["selector"]?["matchLabels"] as JsonObject;
        var templateLabels = spec["template"]?["metadata"]?["labels"] as JsonObject ?? [];
        if (spec["selector"] is null)
        {
            errors.Add(new FieldError("spec.selector", "Required value", ""));
        }
        else if (selector is not null && selector.Any(s => templateLabels[s.Key]?.ToString() != s.Value?.ToString()))
        {
            errors.Add(new FieldError("spec.template.metadata.labels", "Invalid value",
                $"{templateLabels.ToJsonString()}: `selector` does not match template `labels`"));
        }

        PodTemplateRules.ValidateSpec(spec["template"]?["spec"] as JsonObject, "spec.template.spec", errors);
    }
}

public sealed class JobStrategy : IResourceStrategy
{
    public string Kind => "Job";

    public void Default(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            return;
        }

        spec["parallelism"] ??= 1;
        spec["completions"] ??= 1;
        spec["backoffLimit"] ??= 6;
        spec["completionMode"] ??= "NonIndexed";
        spec["suspend"] ??= false;
        if (spec["template"]?["spec"] is JsonObject podSpec)
        {
            PodTemplateRules.DefaultSpec(podSpec, defaultRestartPolicy: "Never");
        }
    }

    public void Validate(JsonObject obj, List<FieldError> errors)
    {
        var podSpec = obj["spec"]?["template"]?["spec"] as JsonObject;
        PodTemplateRules.ValidateSpec(podSpec, "spec.template.spec", errors);
        var restart = podSpec?["restartPolicy"]?.ToString();
        if (restart is not (null or "OnFailure" or "Never"))
        {
            errors.Add(new FieldError("spec.template.spec.restartPolicy", "Unsupported value", $"\"{restart}\": supported values: \"OnFailure\", \"Never\""));
        }
    }
}

public sealed class ServiceStrategy : IResourceStrategy
{
    public string Kind => "Service";

    public void Default(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            return;
        }

        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        var type = spec["type"]?.ToString();
        if (type != "ExternalName")
        {
            spec["internalTrafficPolicy"] ??= "Cluster";
        }

        if (type is "NodePort" or "LoadBalancer")
        {
            spec["externalTrafficPolicy"] ??= "Cluster";
        }

        if (type == "LoadBalancer")
        {
            spec["allocateLoadBalancerNodePorts"] ??= true;
        }

        // clusterIP(s), ipFamilies and ipFamilyPolicy depend on the cluster's service CIDR and,
        // on update, on the stored Service: the storage's ServiceAllocationHook sets them.
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
            port["targetPort"] ??= port["port"]?.DeepClone();
        }
    }

    public void Validate(JsonObject obj, List<FieldError> errors)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var type = spec["type"]?.ToString();
        if (type is not ("ClusterIP" or "NodePort" or "LoadBalancer" or "ExternalName"))
        {
            errors.Add(new FieldError("spec.type", "Unsupported value", $"\"{type}\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""));
        }

        var ports = spec["ports"] as JsonArray ?? [];
        if (ports.Count == 0 && type != "ExternalName" && spec["clusterIP"]?.ToString() != "None")
        {
            errors.Add(new FieldError("spec.ports", "Required value", ""));
        }

        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i]?["port"]?.GetValue<int>() ?? 0;
            if (port is < 1 or > 65535)
            {
                errors.Add(new FieldError($"spec.ports[{i}].port", "Invalid value", $"{port}: must be between 1 and 65535, inclusive"));
            }
        }

        foreach (var (key, _) in spec["selector"] as JsonObject ?? [])
        {
            if (!LabelSyntax.IsQualifiedName(key))
            {
                errors.Add(new FieldError("spec.selector", "Invalid value", $"\"{key}\": not a valid label key"));
            }
        }
    }
}
