using static LiteKube.EndToEnd.Tests.Kubectl.KubectlServerFixture;

namespace LiteKube.EndToEnd.Tests.Kubectl;

/// <summary><c>kubectl get</c> in its output formats, selectors and sorting, <c>get -w</c>,
/// and the discovery-only commands, against the published binary.</summary>
public sealed class KubectlGetTests(KubectlServerFixture server) : IClassFixture<KubectlServerFixture>
{
    private const string Pods = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-b
          labels: {app: web, tier: front}
        spec:
          nodeName: node-1
          containers: [{name: c, image: nginx:1.27}]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-a
          labels: {app: web, tier: back}
        spec:
          containers: [{name: c, image: nginx:1.27}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, labels: {app: web}}
        data: {color: blue, size: "3"}
        """;

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Get_prints_tables_wide_yaml_json_jsonpath_and_filters_and_sorts(int minor)
    {
        var ns = await server.NewNamespaceAsync($"get{minor}");
        Succeeded(await server.KubectlAsync(minor, Pods, "apply", "-n", ns, "-f", "-"));

        var table = Succeeded(await server.KubectlAsync(minor, null, "get", "pods", "-n", ns));
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n", table);
        Assert.Matches(@"\nweb-a\s+0/1\s+Pending\s+0\s+\S+\n", table);

        var wide = Succeeded(await server.KubectlAsync(minor, null, "get", "pods", "-n", ns, "-o", "wide"));
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n", wide);
        Assert.Matches(@"\nweb-b\s+.*node-1", wide);

        var yaml = Succeeded(await server.KubectlAsync(minor, null, "get", "configmap", "settings", "-n", ns, "-o", "yaml"));
        Assert.Contains("kind: ConfigMap", yaml, StringComparison.Ordinal);
        Assert.Contains("  color: blue", yaml, StringComparison.Ordinal);
        Assert.Contains($"  namespace: {ns}", yaml, StringComparison.Ordinal);

        var json = Succeeded(await server.KubectlAsync(minor, null, "get", "pods", "-n", ns, "-o", "json"));
        using (var document = System.Text.Json.JsonDocument.Parse(json))
        {
            Assert.Equal("List", document.RootElement.GetProperty("kind").GetString());
            Assert.Equal(2, document.RootElement.GetProperty("items").GetArrayLength());
        }

        Assert.Equal("blue 3", Succeeded(await server.KubectlAsync(minor, null, "get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.color} {.data.size}")));

        var all = Succeeded(await server.KubectlAsync(minor, null, "get", "pods", "-A", "-l", "app=web"));
        Assert.Matches(@"^NAMESPACE\s+NAME\s+READY", all);
        Assert.Matches($@"\n{ns}\s+web-a\s+", all);

        var front = Succeeded(await server.KubectlAsync(minor, null, "get", "pods", "-n", ns, "-l", "tier in (front),app=web", "-o", "name"));
        Assert.Equal("pod/web-b\n", front);
        var onNode = Succeeded(await server.KubectlAsync(minor, null, "get", "pods", "-n", ns, "--field-selector", "spec.nodeName=node-1", "-o", "name"));
        Assert.Equal("pod/web-b\n", onNode);
        var notB = Succeeded(await server.KubectlAsync(minor, null, "get", "pods", "-n", ns, "--field-selector", "metadata.name!=web-b", "-o", "name"));
        Assert.Equal("pod/web-a\n", notB);

        var labels = Succeeded(await server.KubectlAsync(minor, null, "get", "pods", "web-a", "-n", ns, "--show-labels"));
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+LABELS\nweb-a\s+.*app=web,tier=back\n", labels);

        var sorted = Succeeded(await server.KubectlAsync(minor, null, "get", "pods", "-n", ns, "--sort-by", ".metadata.name", "-o", "name"));
        Assert.Equal("pod/web-a\npod/web-b\n", sorted);
        var byLabel = Succeeded(await server.KubectlAsync(minor, null, "get", "pods", "-n", ns, "--sort-by", ".metadata.labels.tier", "--no-headers"));
        Assert.Matches(@"^web-a\s.*\nweb-b\s", byLabel);
    }

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Get_watch_sees_a_later_change(int minor)
    {
        var ns = await server.NewNamespaceAsync($"watch{minor}");
        Succeeded(await server.KubectlAsync(minor, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched}\ndata: {v: \"1\"}\n", "apply", "-n", ns, "-f", "-"));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var seenChange = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = CliWrap.Cli.Wrap(KubectlClients.Path(minor))
            .WithArguments(["--kubeconfig", server.Node.KubeconfigPath, "--cache-dir", Path.Combine(server.CacheRoot, $"watch-{minor}"),
                "get", "configmaps", "-n", ns, "-w", "-o", "custom-columns=NAME:.metadata.name,V:.data.v", "--no-headers"])
            .WithValidation(CliWrap.CommandResultValidation.None)
            .WithStandardOutputPipe(CliWrap.PipeTarget.ToDelegate(line =>
            {
                lines.Enqueue(line);
                if (line.Contains("watched", StringComparison.Ordinal) && line.TrimEnd().EndsWith('1'))
                {
                    listed.TrySetResult();
                }
                if (line.Contains("changed", StringComparison.Ordinal) || line.TrimEnd().EndsWith('2'))
                {
                    seenChange.TrySetResult();
                }
            }))
            .ExecuteAsync(CancellationToken.None, stop.Token);

        await listed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Succeeded(await server.KubectlAsync(minor, null, "patch", "configmap", "watched", "-n", ns, "--type", "merge", "-p", "{\"data\":{\"v\":\"2\"}}"));
        Succeeded(await server.KubectlAsync(minor, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: changed}\n", "apply", "-n", ns, "-f", "-"));
        await seenChange.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Task.Delay(500);
        await stop.CancelAsync();
        try
        {
            await watch;
        }
        catch (OperationCanceledException)
        {
            // We ended the watch, as a person presses Ctrl-C.
        }

        var text = string.Join("\n", lines);
        Assert.Matches(@"watched\s+1", text);
        Assert.Matches(@"watched\s+2", text);
        Assert.Contains("changed", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Api_resources_api_versions_and_explain_describe_the_served_api(int minor)
    {
        var resources = Succeeded(await server.KubectlAsync(minor, null, "api-resources"));
        Assert.Matches(@"^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND\n", resources);
        Assert.Matches(@"\npods\s+po\s+v1\s+true\s+Pod\n", resources);
        Assert.Matches(@"\ndeployments\s+deploy\s+apps/v1\s+true\s+Deployment\n", resources);
        Assert.Matches(@"\nclusterroles\s+rbac.authorization.k8s.io/v1\s+false\s+ClusterRole\n", resources);

        var versions = Succeeded(await server.KubectlAsync(minor, null, "api-versions")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("v1", versions);
        Assert.Contains("apps/v1", versions);
        Assert.Contains("batch/v1", versions);
        Assert.Contains("rbac.authorization.k8s.io/v1", versions);

        var explain = Succeeded(await server.KubectlAsync(minor, null, "explain", "pod.spec.containers"));
        Assert.Contains("KIND:", explain, StringComparison.Ordinal);
        Assert.Contains("Pod", explain, StringComparison.Ordinal);
        Assert.Matches(@"(FIELD|RESOURCE): containers <\[\]", explain);
        Assert.Contains("image", explain, StringComparison.Ordinal);
        Assert.Contains("livenessProbe", explain, StringComparison.Ordinal);
    }
}
