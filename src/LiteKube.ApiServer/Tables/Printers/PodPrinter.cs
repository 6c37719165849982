using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>kubectl's pod columns, with upstream's rules for STATUS (init progress, waiting and
/// terminated reasons, Terminating) and RESTARTS ("2 (5m ago)").</summary>
public sealed class PodPrinter : ITablePrinter
{
    public string Kind => "Pod";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "string", "The aggregate status of the containers in this pod."),
        new("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        Common.Age,
        new("IP", "string", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
        new("Node", "string", "NodeName is a request to schedule this pod onto a specific node.", 1),
        new("Nominated Node", "string", "nominatedNodeName is set when this pod preempts other pods on the node.", 1),
        new("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var pod = new JsonObjectReader(obj);
        var total = pod.Array("spec.containers").Count;
        var reason = pod.String("status.reason", pod.String("status.phase"));
        var restarts = 0L;
        DateTimeOffset? lastRestart = null;
        var ready = 0;
        var initializing = false;
        var initContainers = pod.Array("status.initContainerStatuses");
        for (var i = 0; i < initContainers.Count; i++)
        {
            var c = new JsonObjectReader(initContainers[i] as JsonObject ?? []);
            restarts += c.Long("restartCount");
            lastRestart = Later(lastRestart, c.Time("lastState.terminated.finishedAt"));
            if (c.Node("state.terminated") is not null && c.Long("state.terminated.exitCode") == 0)
            {
                continue;
            }

            reason = c.Node("state.terminated") is not null
                ? "Init:" + Terminated(c, "state.terminated")
                : c.String("state.waiting.reason") is { Length: > 0 } waiting && waiting != "PodInitializing"
                    ? "Init:" + waiting
                    : $"Init:{i}/{pod.Array("spec.initContainers").Count}";
            initializing = true;
            break;
        }

        if (!initializing)
        {
            restarts = 0;
            var hasRunning = false;
            var statuses = pod.Array("status.containerStatuses");
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var c = new JsonObjectReader(statuses[i] as JsonObject ?? []);
                restarts += c.Long("restartCount");
                lastRestart = Later(lastRestart, c.Time("lastState.terminated.finishedAt"));
                if (c.String("state.waiting.reason") is { Length: > 0 } waiting)
                {
                    reason = waiting;
                }
                else if (c.Node("state.terminated") is not null)
                {
                    reason = Terminated(c, "state.terminated");
                }
                else if (c.Bool("ready") && c.Node("state.running") is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = PodReady(pod) ? "Running" : "NotReady";
            }
        }

        if (pod.Node("metadata.deletionTimestamp") is not null)
        {
            reason = pod.String("status.reason") == "NodeLost" ? "Unknown" : "Terminating";
        }

        var restartText = lastRestart is { } at ? $"{restarts} ({HumanDuration.Format(now - at)} ago)" : $"{restarts}";
        var gates = pod.Array("spec.readinessGates");
        return
        [
            pod.String("metadata.name"),
            $"{ready}/{total}",
            reason,
            restartText,
            HumanDuration.Age(pod, now),
            Common.OrNone(pod.String("status.podIP")),
            Common.OrNone(pod.String("spec.nodeName")),
            Common.OrNone(pod.String("status.nominatedNodeName")),
            gates.Count == 0 ? "<none>" : $"{gates.Count(g => ConditionTrue(pod, g?["conditionType"]?.ToString()))}/{gates.Count}",
        ];
    }

    private static string Terminated(JsonObjectReader c, string path)
    {
        if (c.String(path + ".reason") is { Length: > 0 } reason)
        {
            return reason;
        }

        var signal = c.Long(path + ".signal");
        return signal != 0 ? $"Signal:{signal}" : $"ExitCode:{c.Long(path + ".exitCode")}";
    }

    private static bool PodReady(JsonObjectReader pod) => ConditionTrue(pod, "Ready");

    private static bool ConditionTrue(JsonObjectReader pod, string? type) =>
        pod.Array("status.conditions").Any(c => c?["type"]?.ToString() == type && c?["status"]?.ToString() == "True");

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a > b ? a : b);
}
