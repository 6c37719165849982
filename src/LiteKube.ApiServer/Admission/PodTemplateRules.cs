using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;

namespace LiteKube.ApiServer.Admission;

/// <summary>Upstream's defaults and key validations of a pod spec, shared by pods and by the
/// templates of deployments, replica sets, stateful sets, daemon sets and jobs.</summary>
public static class PodTemplateRules
{
    public static void DefaultSpec(JsonObject spec, string defaultRestartPolicy = "Always")
    {
        spec["restartPolicy"] ??= defaultRestartPolicy;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["schedulerName"] ??= "default-scheduler";
        spec["securityContext"] ??= new JsonObject();
        spec["enableServiceLinks"] ??= true;
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                DefaultContainer(container);
            }
        }
    }

    private static void DefaultContainer(JsonObject container)
    {
        container["terminationMessagePath"] ??= "/dev/termination-log";
        container["terminationMessagePolicy"] ??= "File";
        container["resources"] ??= new JsonObject();
        container["imagePullPolicy"] ??= PullPolicyFor(container["image"]?.ToString() ?? "");
        foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
        }
    }

    /// <summary>Always for :latest or an untagged image, else IfNotPresent (digests count as tags).</summary>
    public static string PullPolicyFor(string image)
    {
        if (image.Contains('@'))
        {
            return "IfNotPresent";
        }

        var lastSlash = image.LastIndexOf('/');
        var colon = image.IndexOf(':', lastSlash + 1);
        return colon < 0 || image[(colon + 1)..] == "latest" ? "Always" : "IfNotPresent";
    }

    public static void ValidateSpec(JsonObject? spec, string path, List<FieldError> errors)
    {
        if (spec is null)
        {
            errors.Add(new FieldError(path, "Required value", ""));
            return;
        }

        var containers = spec["containers"] as JsonArray ?? [];
        if (containers.Count == 0)
        {
            errors.Add(new FieldError($"{path}.containers", "Required value", ""));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (list, items) in new[] { ("containers", containers), ("initContainers", spec["initContainers"] as JsonArray ?? []) })
        {
            for (var i = 0; i < items.Count; i++)
            {
                var c = items[i] as JsonObject ?? [];
                var at = $"{path}.{list}[{i}]";
                var name = c["name"]?.ToString() ?? "";
                if (name == "")
                {
                    errors.Add(new FieldError($"{at}.name", "Required value", ""));
                }
                else
                {
                    NameRules.CheckLabel($"{at}.name", name, errors);
                    if (!names.Add(name))
                    {
                        errors.Add(new FieldError($"{at}.name", "Duplicate value", $"\"{name}\""));
                    }
                }

                if (string.IsNullOrWhiteSpace(c["image"]?.ToString()))
                {
                    errors.Add(new FieldError($"{at}.image", "Required value", ""));
                }

                ValidatePorts(c["ports"] as JsonArray ?? [], $"{at}.ports", errors);
            }
        }

        var restart = spec["restartPolicy"]?.ToString();
        if (restart is not (null or "Always" or "OnFailure" or "Never"))
        {
            errors.Add(new FieldError($"{path}.restartPolicy", "Unsupported value", $"\"{restart}\": supported values: \"Always\", \"OnFailure\", \"Never\""));
        }
    }

    private static void ValidatePorts(JsonArray ports, string path, List<FieldError> errors)
    {
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i]?["containerPort"]?.GetValue<int>() ?? 0;
            if (port is < 1 or > 65535)
            {
                errors.Add(new FieldError($"{path}[{i}].containerPort", "Invalid value", $"{port}: must be between 1 and 65535, inclusive"));
            }
        }
    }
}
