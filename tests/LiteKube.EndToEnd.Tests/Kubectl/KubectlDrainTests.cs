using static LiteKube.EndToEnd.Tests.Kubectl.KubectlServerFixture;

namespace LiteKube.EndToEnd.Tests.Kubectl;

/// <summary>
/// <c>kubectl drain</c> against the published binary: cordon, a PodDisruptionBudget that blocks
/// (429, kubectl retries until --timeout), then a drain that evicts a ReplicaSet pod with
/// emptyDir data and a pod without a controller, and leaves the DaemonSet's pod. No agent runs
/// these pods, so the drain passes --grace-period=0 (a pod given a grace period waits for its
/// kubelet, as upstream); no disruption controller runs, so the test writes the budget's status.
/// </summary>
public sealed class KubectlDrainTests(KubectlServerFixture server) : IClassFixture<KubectlServerFixture>
{
    private const int Newest = 33;
    private const string NodeName = "drain-e2e";

    [Fact]
    public async Task Drain_waits_out_a_blocking_budget_then_evicts_everything_but_daemonset_pods()
    {
        var ns = await server.NewNamespaceAsync("drain");
        Succeeded(await server.KubectlAsync(Newest, $$$"""
            apiVersion: v1
            kind: Node
            metadata: {name: {{{NodeName}}}}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: {{{ns}}} }
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec: {containers: [{name: c, image: nginx}] }
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: web, namespace: {{{ns}}} }
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: c, image: nginx}] }
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: keep-web, namespace: {{{ns}}} }
            spec:
              minAvailable: 1
              selector: {matchLabels: {app: web}}
            """, "apply", "-f", "-"));
        var agentUid = Succeeded(await server.KubectlAsync(Newest, null, "get", "daemonset", "agent", "-n", ns, "-o", "jsonpath={.metadata.uid}"));
        var webUid = Succeeded(await server.KubectlAsync(Newest, null, "get", "replicaset", "web", "-n", ns, "-o", "jsonpath={.metadata.uid}"));
        Succeeded(await server.KubectlAsync(Newest, $$$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: agent-x
              labels: {app: agent}
              ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: {{{agentUid}}}, controller: true} ]
            spec: {nodeName: {{{NodeName}}}, containers: [{name: c, image: nginx}] }
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-x
              labels: {app: web}
              ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web, uid: {{{webUid}}}, controller: true} ]
            spec:
              nodeName: {{{NodeName}}}
              volumes: [{name: scratch, emptyDir: {}}]
              containers: [{name: c, image: nginx}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: bare}
            spec: {nodeName: {{{NodeName}}}, containers: [{name: c, image: nginx}] }
            """, "apply", "-n", ns, "-f", "-"));
        // What the kubelet and the disruption controller would write.
        Succeeded(await server.KubectlAsync(Newest, null, "patch", "pod", "web-x", "-n", ns, "--subresource=status", "--type=merge",
            "-p", """{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}"""));
        await BudgetAsync(ns, allowed: 0);

        var blocked = await server.KubectlAsync(Newest, null, "drain", NodeName, "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--grace-period=0", "--timeout=7s");
        Assert.NotEqual(0, blocked.ExitCode);
        Assert.Contains($"node/{NodeName} cordoned", blocked.StandardOutput);
        Assert.Contains("Cannot evict pod as it would violate the pod's disruption budget", blocked.StandardError);
        Assert.Contains("will retry after 5s", blocked.StandardError);
        Assert.Contains("web-x", Succeeded(await server.KubectlAsync(Newest, null, "get", "pods", "-n", ns, "-o", "name")));

        await BudgetAsync(ns, allowed: 1);
        var drained = Succeeded(await server.KubectlAsync(Newest, null, "drain", NodeName, "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--grace-period=0", "--timeout=60s"));
        Assert.Contains($"node/{NodeName} drained", drained);
        Assert.Equal("pod/agent-x\n", Succeeded(await server.KubectlAsync(Newest, null, "get", "pods", "-n", ns, "-o", "name")));
        Assert.Equal("true", Succeeded(await server.KubectlAsync(Newest, null, "get", "node", NodeName, "-o", "jsonpath={.spec.unschedulable}")));
    }

    private async Task BudgetAsync(string ns, int allowed) =>
        Succeeded(await server.KubectlAsync(Newest, null, "patch", "pdb", "keep-web", "-n", ns, "--subresource=status", "--type=merge",
            "-p", $$"""{"status":{"observedGeneration":1,"disruptionsAllowed":{{allowed}},"currentHealthy":1,"desiredHealthy":{{1 - allowed}},"expectedPods":1} }"""));
}
