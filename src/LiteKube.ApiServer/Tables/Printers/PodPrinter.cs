using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>kubectl's pod columns, with upstream's rules for READY (sidecar init containers count),
/// STATUS (init progress, waiting and terminated reasons, SchedulingGated, Terminating) and
/// RESTARTS ("2 (5m ago)").</summary>
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
        new("IP", "string", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
        new("Node", "string", "NodeName indicates in which node this pod is scheduled.", 1),
        new("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.", 1),
        new("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var pod = new JsonObjectReader(obj);
        var status = Status(pod);
        var restarts = status.Restarts != 0 && status.LastRestart is { } at
            ? $"{status.Restarts} ({HumanDuration.Format(now - at)} ago)"
            : $"{status.Restarts}";
        var gates = pod.Array("spec.readinessGates");
        var podIp = pod.Array("status.podIPs").OfType<JsonObject>().FirstOrDefault()?["ip"]?.ToString() ?? pod.String("status.podIP");
        return
        [
            pod.String("metadata.name"),
            $"{status.Ready}/{status.Total}",
            status.Reason,
            restarts,
            HumanDuration.Age(pod, now),
            Common.OrNone(podIp),
            Common.OrNone(pod.String("spec.nodeName")),
            Common.OrNone(pod.String("status.nominatedNodeName")),
            gates.Count == 0 ? "<none>" : $"{gates.Count(g => ConditionStatus(pod, (g as JsonObject)?["conditionType"]?.ToString()) == "True")}/{gates.Count}",
        ];
    }

    private sealed record PodStatus(int Ready, int Total, string Reason, long Restarts, DateTimeOffset? LastRestart);

    private static PodStatus Status(JsonObjectReader pod)
    {
        var phase = pod.String("status.phase");
        var reason = pod.String("status.reason") is { Length: > 0 } r ? r : phase;
        if (pod.Array("status.conditions").Any(c => (c as JsonObject)?["type"]?.ToString() == "PodScheduled" && (c as JsonObject)?["reason"]?.ToString() == "SchedulingGated"))
        {
            reason = "SchedulingGated";
        }

        // Sidecars (init containers that restart always) run beside the app containers and count as such.
        var sidecars = pod.Array("spec.initContainers")
            .Where(c => (c as JsonObject)?["restartPolicy"]?.ToString() == "Always")
            .Select(c => (c as JsonObject)?["name"]?.ToString() ?? "")
            .ToHashSet(StringComparer.Ordinal);
        var total = pod.Array("spec.containers").Count + sidecars.Count;
        var ready = 0;
        long restarts = 0, sidecarRestarts = 0;
        DateTimeOffset? lastRestart = null, lastSidecarRestart = null;
        var initializing = false;
        var initStatuses = pod.Array("status.initContainerStatuses");
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var c = new JsonObjectReader(initStatuses[i] as JsonObject ?? []);
            var sidecar = sidecars.Contains(c.String("name"));
            restarts += c.Long("restartCount");
            lastRestart = Later(lastRestart, c.Time("lastState.terminated.finishedAt"));
            if (sidecar)
            {
                sidecarRestarts += c.Long("restartCount");
                lastSidecarRestart = Later(lastSidecarRestart, c.Time("lastState.terminated.finishedAt"));
            }

            var terminated = c.Node("state.terminated") is JsonObject;
            if (terminated && c.Long("state.terminated.exitCode") == 0)
            {
                continue;
            }

            if (sidecar && c.Bool("started"))
            {
                ready += c.Bool("ready") ? 1 : 0;
                continue;
            }

            reason = terminated ? "Init:" + Terminated(c)
                : c.String("state.waiting.reason") is { Length: > 0 } waiting && waiting != "PodInitializing" ? "Init:" + waiting
                : $"Init:{i}/{pod.Array("spec.initContainers").Count}";
            initializing = true;
            break;
        }

        if (!initializing || ConditionStatus(pod, "Initialized") == "True")
        {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
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
                else if (c.Node("state.terminated") is JsonObject)
                {
                    reason = Terminated(c);
                }
                else if (c.Bool("ready") && c.Node("state.running") is JsonObject)
                {
                    hasRunning = true;
                    ready++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = ConditionStatus(pod, "Ready") == "True" ? "Running" : "NotReady";
            }
        }

        if (pod.Node("metadata.deletionTimestamp") is JsonValue)
        {
            if (pod.String("status.reason") == "NodeLost")
            {
                reason = "Unknown";
            }
            else if (phase is not ("Succeeded" or "Failed"))
            {
                reason = "Terminating";
            }
        }

        return new PodStatus(ready, total, reason, restarts, lastRestart);
    }

    private static string Terminated(JsonObjectReader c)
    {
        if (c.String("state.terminated.reason") is { Length: > 0 } reason)
        {
            return reason;
        }

        var signal = c.Long("state.terminated.signal");
        return signal != 0 ? $"Signal:{signal}" : $"ExitCode:{c.Long("state.terminated.exitCode")}";
    }

    private static string? ConditionStatus(JsonObjectReader pod, string? type) =>
        pod.Array("status.conditions").OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == type)?["status"]?.ToString();

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a > b ? a : b);
}
