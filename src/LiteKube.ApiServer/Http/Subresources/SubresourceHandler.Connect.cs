using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary><c>pods/log</c> and <c>pods/exec</c> are served by the agent that runs the pod.
/// The request is checked as upstream checks it (pod, container, node); past that, no agent
/// can be reached yet, and the answer says so instead of inventing output.</summary>
public sealed partial class SubresourceHandler
{
    private async Task LogAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var pod = await objects.GetAsync(resource, info.Namespace, info.Name, context.RequestAborted).ConfigureAwait(false);
        var container = PodContainers.Resolve(pod, info.Name, context.Request.Query["container"].ToString());
        throw NoAgent(pod, info.Name, container);
    }

    private async Task ExecAsync(HttpContext context, ResourceDefinition resource, RequestInfo info)
    {
        var query = context.Request.Query;
        if (query["command"].Count == 0)
        {
            throw ApiException.BadRequest("you must specify at least one command for the container");
        }

        if (!new[] { "stdin", "stdout", "stderr" }.Any(stream => query[stream] is var v && (v == "true" || v == "1")))
        {
            throw ApiException.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        }

        var pod = await objects.GetAsync(resource, info.Namespace, info.Name, context.RequestAborted).ConfigureAwait(false);
        var container = PodContainers.Resolve(pod, info.Name, query["container"].ToString());
        throw NoAgent(pod, info.Name, container);
    }

    private static ApiException NoAgent(JsonObject pod, string name, string container)
    {
        var node = pod["spec"]?["nodeName"]?.ToString();
        return string.IsNullOrEmpty(node)
            ? ApiException.BadRequest($"pod {name} does not have a host assigned")
            : ApiException.BadRequest($"no agent runs pod {name} (container {container}) on node \"{node}\" yet: logs and exec need the LiteKube agent on that node");
    }
}
