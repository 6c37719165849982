using System.Net;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tests.Subresources;

/// <summary>
/// <c>kubectl drain</c> end to end with the oldest and newest kubectl: cordon, then evictions
/// through pods/eviction, with DaemonSet-managed pods, pods without a controller, emptyDir
/// data and PodDisruptionBudgets. No agent runs the pods: they have a zero grace period so an
/// eviction removes them at once, as upstream does (a pod with a grace period would wait for
/// its kubelet). No disruption controller runs either: the test writes the budget's status.
/// </summary>
public sealed class KubectlDrainTests(SharedServer fixture) : IClassFixture<SharedServer>
{
    public static TheoryData<string> Clients() =>
    [
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.27",
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.33",
    ];

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Drain_refuses_unmanaged_pods_without_flags_then_evicts_all_but_daemonset_pods(string kubectl)
    {
        var ns = await fixture.NamespaceAsync();
        var node = $"drain-{ns}";
        await NodeAsync(node);
        var ds = await CreateAsync($"/apis/apps/v1/namespaces/{ns}/daemonsets", Workload("DaemonSet", "agent"));
        var rs = await CreateAsync($"/apis/apps/v1/namespaces/{ns}/replicasets", Workload("ReplicaSet", "web"));
        await PodAsync(ns, "agent-pod", node, Owner("apps/v1", "DaemonSet", ds));
        await PodAsync(ns, "web-pod", node, Owner("apps/v1", "ReplicaSet", rs), volumes: """[{"name":"scratch","emptyDir":{}}]""");
        await PodAsync(ns, "bare", node);
        await PodAsync(ns, "elsewhere", "other-node", Owner("apps/v1", "ReplicaSet", rs));

        var refused = await fixture.Server.KubectlAsync(kubectl, null, "drain", node, "--timeout=30s");
        Assert.NotEqual(0, refused.ExitCode);
        // The wording changed across versions ("Pods not managed by ..." in 1.27, "Pods that declare no controller" later).
        Assert.True(refused.StandardError.Contains("(use --force to override)", StringComparison.Ordinal), refused.StandardError);
        Assert.Contains($"{ns}/bare", refused.StandardError);
        Assert.Contains("DaemonSet-managed Pods (use --ignore-daemonsets to ignore)", refused.StandardError);
        Assert.Contains("(use --delete-emptydir-data to override)", refused.StandardError);
        Assert.Equal(["agent-pod", "bare", "elsewhere", "web-pod"], await PodNamesAsync(ns));
        Assert.True(await UnschedulableAsync(node), "drain cordons before it looks at the pods");

        var drained = await fixture.Server.KubectlAsync(kubectl, null, "drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--timeout=60s");
        Assert.True(drained.ExitCode == 0, drained.StandardError);
        Assert.Contains($"node/{node} drained", drained.StandardOutput);
        Assert.Contains($"evicting pod {ns}/web-pod", drained.StandardOutput);
        Assert.Contains($"evicting pod {ns}/bare", drained.StandardOutput);
        Assert.Equal(["agent-pod", "elsewhere"], await PodNamesAsync(ns));
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_budget_with_no_disruption_left_makes_drain_retry_until_its_timeout_and_one_with_room_lets_it_finish(string kubectl)
    {
        var ns = await fixture.NamespaceAsync();
        var node = $"drain-{ns}";
        await NodeAsync(node);
        var rs = await CreateAsync($"/apis/apps/v1/namespaces/{ns}/replicasets", Workload("ReplicaSet", "guarded"));
        await PodAsync(ns, "guarded-pod", node, Owner("apps/v1", "ReplicaSet", rs), running: true);
        await CreateAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets",
            """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"keep-one"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"guarded"}}}}""");
        await BudgetStatusAsync(ns, allowed: 0);

        var blocked = await fixture.Server.KubectlAsync(kubectl, null, "drain", node, "--timeout=7s");
        Assert.NotEqual(0, blocked.ExitCode);
        Assert.Contains("Cannot evict pod as it would violate the pod's disruption budget", blocked.StandardError);
        Assert.Contains("will retry after 5s", blocked.StandardError);
        Assert.Equal(["guarded-pod"], await PodNamesAsync(ns));

        await BudgetStatusAsync(ns, allowed: 1);
        var drained = await fixture.Server.KubectlAsync(kubectl, null, "drain", node, "--timeout=30s");
        Assert.True(drained.ExitCode == 0, drained.StandardError);
        Assert.Empty(await PodNamesAsync(ns));
        var budget = await fixture.SendAsync(HttpMethod.Get, $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/keep-one");
        Assert.Equal(0, budget.Body["status"]!["disruptionsAllowed"]!.GetValue<int>());
        Assert.NotNull(budget.Body["status"]!["disruptedPods"]!["guarded-pod"]);
    }

    private async Task NodeAsync(string name)
    {
        var created = await fixture.SendAsync(HttpMethod.Post, "/api/v1/nodes", $$"""{"apiVersion":"v1","kind":"Node","metadata":{"name":"{{name}}"} }""");
        Assert.Equal(HttpStatusCode.Created, created.Code);
    }

    private async Task<JsonObject> CreateAsync(string path, string body)
    {
        var created = await fixture.SendAsync(HttpMethod.Post, path, body);
        Assert.True(created.Code == HttpStatusCode.Created, created.Body.ToJsonString());
        return created.Body;
    }

    /// <summary>A pod bound to <paramref name="node"/>; "running" makes it Running and Ready, as its kubelet would.</summary>
    private async Task PodAsync(string ns, string name, string node, string owners = "[]", string volumes = "[]", bool running = false)
    {
        var app = name.Split('-')[0];
        var pod = await CreateAsync($"/api/v1/namespaces/{ns}/pods", $$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{name}}","labels":{"app":"{{app}}"},"ownerReferences":{{owners}}},
             "spec":{"nodeName":"{{node}}","terminationGracePeriodSeconds":0,"volumes":{{volumes}},"containers":[{"name":"c","image":"nginx"}]} }
            """);
        if (running)
        {
            pod["status"] = JsonNode.Parse("""{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}""");
            var updated = await fixture.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/pods/{name}/status", pod.ToJsonString());
            Assert.Equal(HttpStatusCode.OK, updated.Code);
        }
    }

    /// <summary>What the disruption controller would write: the budget observed, with this many evictions allowed.</summary>
    private async Task BudgetStatusAsync(string ns, int allowed)
    {
        var status = $$"""{"status":{"observedGeneration":1,"disruptionsAllowed":{{allowed}},"currentHealthy":1,"desiredHealthy":{{1 - allowed}},"expectedPods":1} }""";
        var patched = await fixture.SendAsync(HttpMethod.Patch, $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/keep-one/status", status, "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched.Code);
    }

    private async Task<List<string>> PodNamesAsync(string ns)
    {
        var list = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods");
        return (list.Body["items"] as JsonArray)!.Select(p => p!["metadata"]!["name"]!.ToString()).Order(StringComparer.Ordinal).ToList();
    }

    private async Task<bool> UnschedulableAsync(string node) =>
        (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/nodes/{node}")).Body["spec"]?["unschedulable"]?.GetValue<bool>() == true;

    private static string Owner(string apiVersion, string kind, JsonObject owner) =>
        $$"""[{"apiVersion":"{{apiVersion}}","kind":"{{kind}}","name":"{{owner["metadata"]!["name"]}}","uid":"{{owner["metadata"]!["uid"]}}","controller":true} ]""";

    private static string Workload(string kind, string name) => $$"""
        {"apiVersion":"apps/v1","kind":"{{kind}}","metadata":{"name":"{{name}}"},
         "spec":{"selector":{"matchLabels":{"app":"{{name}}"} },
          "template":{"metadata":{"labels":{"app":"{{name}}"} },"spec":{"containers":[{"name":"c","image":"nginx"}]} } } }
        """;
}
