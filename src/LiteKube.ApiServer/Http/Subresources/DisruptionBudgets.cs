using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Selectors;
using LiteKube.ApiServer.Serialization;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary>
/// Upstream's eviction rules (pkg/registry/core/pod/storage/eviction.go): which pods may go
/// without asking a PodDisruptionBudget, which budgets select a pod, and the budget check that
/// either refuses (429 TooManyRequests, 403) or spends one allowed disruption. Pure.
/// </summary>
public static class DisruptionBudgets
{
    /// <summary>Upstream's cap on evictions the budget's controller has not confirmed yet.</summary>
    public const int MaxDisruptedPods = 2000;

    private const string Refused = "Cannot evict pod as it would violate the pod's disruption budget.";

    /// <summary>Finished, pending and deleting pods are not counted by any budget.</summary>
    public static bool CanIgnoreBudgets(JsonObject pod)
    {
        var phase = pod["status"]?["phase"]?.ToString();
        return phase is "Succeeded" or "Failed" or "Pending" || ObjectStore.Metadata(pod)["deletionTimestamp"] is not null;
    }

    /// <summary>The budgets whose selector selects the pod. In policy/v1 an empty selector selects
    /// every pod of the namespace; a missing one selects none.</summary>
    public static IReadOnlyList<JsonObject> Selecting(JsonObject pod, IEnumerable<JsonObject> budgets)
    {
        var labels = LabelSelector.LabelsOf(pod);
        return budgets.Where(b => b["spec"]?["selector"] is JsonObject selector && Matches(selector, labels)).ToList();
    }

    /// <summary>An unready pod may go without spending the budget when the budget says so
    /// (AlwaysAllow), or by default when the budget is met anyway (IfHealthyBudget).</summary>
    public static bool UnhealthyPodMayGo(JsonObject pod, JsonObject budget)
    {
        if (IsReady(pod))
        {
            return false;
        }

        if (budget["spec"]?["unhealthyPodEvictionPolicy"]?.ToString() == "AlwaysAllow")
        {
            return true;
        }

        var desired = Long(budget["status"]?["desiredHealthy"]);
        return desired > 0 && Long(budget["status"]?["currentHealthy"]) >= desired;
    }

    /// <summary>Spends one disruption of <paramref name="budget"/> for the pod (recording it in
    /// status.disruptedPods for the budget's controller), or throws the refusal.</summary>
    public static void CheckAndDecrement(JsonObject budget, string podName, string now)
    {
        var metadata = ObjectStore.Metadata(budget);
        var name = metadata["name"]?.ToString() ?? "";
        var status = budget["status"] as JsonObject ?? [];
        budget["status"] = status;
        if (Long(status["observedGeneration"]) < Long(metadata["generation"]))
        {
            throw new EvictionRefusedException(TooManyRequests(10, $"The disruption budget {name} is still being processed by the server."));
        }

        var allowed = Long(status["disruptionsAllowed"]);
        if (allowed < 0)
        {
            throw Forbidden(name, "pdb disruptions allowed is negative");
        }

        var disrupted = status["disruptedPods"] as JsonObject ?? [];
        if (disrupted.Count > MaxDisruptedPods)
        {
            throw Forbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }

        if (allowed == 0)
        {
            throw new EvictionRefusedException(TooManyRequests(0,
                $"The disruption budget {name} needs {Long(status["desiredHealthy"])} healthy pods and has {Long(status["currentHealthy"])} currently"));
        }

        status["disruptionsAllowed"] = JsonNumbers.From(allowed - 1);
        disrupted[podName] = now;
        status["disruptedPods"] = disrupted;
        if (allowed - 1 == 0)
        {
            SetDisruptionAllowedFalse(status, now);
        }
    }

    /// <summary>upstream's UpdateDisruptionAllowedCondition once no disruption is left.</summary>
    private static void SetDisruptionAllowedFalse(JsonObject status, string now)
    {
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        var condition = conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == "DisruptionAllowed");
        if (condition is null)
        {
            condition = new JsonObject { ["type"] = "DisruptionAllowed" };
            conditions.Add(condition);
        }

        if (condition["status"]?.ToString() != "False")
        {
            condition["lastTransitionTime"] = now;
        }

        condition["status"] = "False";
        condition["reason"] = "InsufficientPods";
        condition["message"] = "";
        condition["observedGeneration"] = status["observedGeneration"]?.DeepClone();
    }

    private static JsonObject TooManyRequests(int retryAfterSeconds, string cause)
    {
        var details = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = cause }),
        };
        if (retryAfterSeconds > 0)
        {
            details["retryAfterSeconds"] = retryAfterSeconds;
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Refused,
            ["reason"] = "TooManyRequests",
            ["details"] = details,
            ["code"] = 429,
        };
    }

    private static ApiException Forbidden(string name, string why) =>
        new(HttpStatusCode.Forbidden, "Forbidden", $"poddisruptionbudgets.policy \"{name}\" is forbidden: {why}")
        {
            Details = new StatusDetails(name, "poddisruptionbudgets", "policy"),
        };

    private static bool Matches(JsonObject selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value?.ToString())
            {
                return false;
            }
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = expression["key"]?.ToString() ?? "";
            var values = (expression["values"] as JsonArray ?? []).Select(v => v?.ToString()).ToHashSet();
            var has = labels.TryGetValue(key, out var actual);
            var holds = expression["operator"]?.ToString() switch
            {
                "In" => has && values.Contains(actual),
                "NotIn" => !has || !values.Contains(actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => c["type"]?.ToString() == "Ready" && c["status"]?.ToString() == "True");

    private static long Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
}

/// <summary>An eviction the budget refuses, with upstream's exact Status (429 and its cause).</summary>
public sealed class EvictionRefusedException(JsonObject status) : Exception(status["message"]?.ToString())
{
    public JsonObject Status { get; } = status;
}
