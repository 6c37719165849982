using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary>Which container a log or exec request means, as upstream's validateContainer and
/// default-container annotation decide. Pure.</summary>
public static class PodContainers
{
    public const string DefaultContainerAnnotation = "kubectl.kubernetes.io/default-container";

    public static string Resolve(JsonObject pod, string podName, string requested)
    {
        var containers = Names(pod, "containers");
        var others = Names(pod, "initContainers").Concat(Names(pod, "ephemeralContainers")).ToList();
        if (requested != "")
        {
            return containers.Contains(requested) || others.Contains(requested)
                ? requested
                : throw ApiException.BadRequest($"container {requested} is not valid for pod {podName}");
        }

        if (ObjectStore.Metadata(pod)["annotations"]?[DefaultContainerAnnotation]?.ToString() is { } preferred && containers.Contains(preferred))
        {
            return preferred;
        }

        return containers.Count switch
        {
            1 => containers[0],
            0 => throw ApiException.BadRequest($"pod {podName} has no containers"),
            _ => throw ApiException.BadRequest($"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', containers)}]"),
        };
    }

    private static List<string> Names(JsonObject pod, string field) =>
        (pod["spec"]?[field] as JsonArray ?? []).Select(c => c?["name"]?.ToString() ?? "").Where(n => n != "").ToList();
}
