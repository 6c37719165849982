using static LiteKube.EndToEnd.Tests.Kubectl.KubectlServerFixture;

namespace LiteKube.EndToEnd.Tests.Kubectl;

/// <summary><c>describe</c>, <c>cordon</c>/<c>uncordon</c> on a Node created from YAML and
/// <c>wait --for=condition</c>.</summary>
public sealed class KubectlNodeTests(KubectlServerFixture server) : IClassFixture<KubectlServerFixture>
{
    private static string Node(string name) => $$"""
        apiVersion: v1
        kind: Node
        metadata:
          name: {{name}}
          labels: {kubernetes.io/hostname: {{name}}, kubernetes.io/os: linux}
        spec:
          podCIDR: 10.42.1.0/24
        """;

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Cordon_and_uncordon_a_node_created_from_yaml(int minor)
    {
        var name = $"edge-{minor}";
        Assert.Equal($"node/{name} created\n", Succeeded(await server.KubectlAsync(minor, Node(name), "create", "-f", "-")));

        Assert.Equal($"node/{name} cordoned\n", Succeeded(await server.KubectlAsync(minor, null, "cordon", name)));
        Assert.Equal("true", Succeeded(await server.KubectlAsync(minor, null, "get", "node", name, "-o", "jsonpath={.spec.unschedulable}")));
        Assert.Matches($@"\n{name}\s+\S*SchedulingDisabled", Succeeded(await server.KubectlAsync(minor, null, "get", "nodes")));
        Assert.Equal($"node/{name} already cordoned\n", Succeeded(await server.KubectlAsync(minor, null, "cordon", name)));
        Assert.Equal($"node/{name} uncordoned\n", Succeeded(await server.KubectlAsync(minor, null, "uncordon", name)));
        Assert.Equal("", Succeeded(await server.KubectlAsync(minor, null, "get", "node", name, "-o", "jsonpath={.spec.unschedulable}")));

        var described = Succeeded(await server.KubectlAsync(minor, null, "describe", "node", name));
        Assert.Matches($@"^Name:\s+{name}\n", described);
        Assert.Matches(@"\nLabels:\s+kubernetes.io/hostname=", described);
        Assert.Matches(@"\nPodCIDR:\s+10.42.1.0/24\n", described);
        Assert.Matches(@"\nUnschedulable:\s+false\n", described);
    }

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Describe_pod_and_deployment(int minor)
    {
        var ns = await server.NewNamespaceAsync($"describe{minor}");
        const string Manifests = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web-0, labels: {app: web}}
            spec:
              containers: [{name: web, image: "nginx:1.27", ports: [{containerPort: 80}]}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: "nginx:1.27"}]
            """;
        Succeeded(await server.KubectlAsync(minor, Manifests, "apply", "-n", ns, "-f", "-"));

        var pod = Succeeded(await server.KubectlAsync(minor, null, "describe", "pod", "web-0", "-n", ns));
        Assert.Matches(@"^Name:\s+web-0\n", pod);
        Assert.Matches($@"\nNamespace:\s+{ns}\n", pod);
        Assert.Matches(@"\nStatus:\s+Pending\n", pod);
        Assert.Matches(@"\n\s+Image:\s+nginx:1.27\n", pod);
        Assert.Matches(@"\n\s+Port:\s+80/TCP\n", pod);
        Assert.Matches(@"\nEvents:\s+<none>", pod);

        var deployment = Succeeded(await server.KubectlAsync(minor, null, "describe", "deployment", "web", "-n", ns));
        Assert.Matches(@"^Name:\s+web\n", deployment);
        Assert.Matches(@"\nSelector:\s+app=web\n", deployment);
        Assert.Matches(@"\nReplicas:\s+2 desired", deployment);
        Assert.Matches(@"\nStrategyType:\s+RollingUpdate\n", deployment);
    }

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Wait_for_condition_returns_once_the_status_says_so(int minor)
    {
        var name = $"ready-{minor}";
        Succeeded(await server.KubectlAsync(minor, Node(name), "create", "-f", "-"));

        var waiting = server.KubectlAsync(minor, null, "wait", "--for=condition=Ready", $"node/{name}", "--timeout=30s");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var status = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\",\"message\":\"ready\",\"lastHeartbeatTime\":\"2026-11-23T00:00:00Z\",\"lastTransitionTime\":\"2026-11-23T00:00:00Z\"}]}}";
        Succeeded(await server.KubectlAsync(minor, null, "patch", "node", name, "--subresource", "status", "--type", "merge", "-p", status));

        Assert.Equal($"node/{name} condition met\n", Succeeded(await waiting));
        var notYet = await server.KubectlAsync(minor, null, "wait", "--for=condition=MemoryPressure", $"node/{name}", "--timeout=2s");
        Assert.NotEqual(0, notYet.ExitCode);
        Assert.Contains("timed out", notYet.StandardError, StringComparison.Ordinal);
    }
}
