using System.Diagnostics;
using CliWrap.Buffered;

namespace LiteKube.ApiServer.Tests.Lifecycle;

/// <summary>kubectl delete against the in-process server, with the oldest and newest clients
/// (they send the same DELETE requests).</summary>
public sealed class KubectlDeleteTests(DeletionServer fixture) : IClassFixture<DeletionServer>
{
    public static TheoryData<string> Clients() => new()
    {
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.27",
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.33",
    };

    private Task<BufferedCommandResult> KubectlAsync(string kubectl, string? stdin, params string[] args) =>
        fixture.Server.KubectlAsync(kubectl, stdin, args);

    private static void Succeeded(BufferedCommandResult result) =>
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}{result.StandardOutput}");

    private static string ConfigMaps(string ns, string app, params string[] names) => string.Join("---\n", names.Select(n =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {n}\n  namespace: {ns}\n  labels:\n    app: {app}\ndata:\n  k: v\n"));

    private static string Pod(string ns, string name, string? node = null) =>
        $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n" + (node is null ? "" : $"  nodeName: {node}\n") +
        "  containers:\n  - name: c\n    image: nginx:1.25\n";

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Kubectl_deletes_by_name_with_and_without_wait_and_from_a_file(string kubectl)
    {
        var ns = await fixture.NamespaceAsync("k-name");
        Succeeded(await KubectlAsync(kubectl, ConfigMaps(ns, "x", "a", "b", "c"), "create", "-f", "-"));

        var waited = await KubectlAsync(kubectl, null, "delete", "configmap", "a", "-n", ns);
        Succeeded(waited);
        Assert.Contains("configmap \"a\" deleted", waited.StandardOutput);

        var quick = await KubectlAsync(kubectl, null, "delete", "configmap", "b", "-n", ns, "--wait=false");
        Succeeded(quick);
        Assert.Contains("configmap \"b\" deleted", quick.StandardOutput);

        var fromFile = await KubectlAsync(kubectl, ConfigMaps(ns, "x", "c"), "delete", "-f", "-");
        Succeeded(fromFile);
        Assert.Contains("configmap \"c\" deleted", fromFile.StandardOutput);

        var left = await KubectlAsync(kubectl, null, "get", "configmaps", "-n", ns, "-l", "app=x", "-o", "name");
        Succeeded(left);
        Assert.Equal("", left.StandardOutput.Trim());

        var missing = await KubectlAsync(kubectl, null, "delete", "configmap", "a", "-n", ns);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("NotFound", missing.StandardError);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Kubectl_deletes_all_and_by_label(string kubectl)
    {
        var ns = await fixture.NamespaceAsync("k-all");
        Succeeded(await KubectlAsync(kubectl, ConfigMaps(ns, "x", "x1", "x2") + "---\n" + ConfigMaps(ns, "other", "y1"), "create", "-f", "-"));
        Succeeded(await KubectlAsync(kubectl, Pod(ns, "p1") + "---\n" + Pod(ns, "p2"), "create", "-f", "-"));

        var byLabel = await KubectlAsync(kubectl, null, "delete", "configmaps", "-l", "app=x", "-n", ns);
        Succeeded(byLabel);
        Assert.Contains("configmap \"x1\" deleted", byLabel.StandardOutput);
        Assert.Contains("configmap \"x2\" deleted", byLabel.StandardOutput);
        var kept = await KubectlAsync(kubectl, null, "get", "configmap", "y1", "-n", ns, "-o", "name");
        Succeeded(kept);

        var all = await KubectlAsync(kubectl, null, "delete", "pods", "--all", "-n", ns);
        Succeeded(all);
        Assert.Contains("pod \"p1\" deleted", all.StandardOutput);
        var none = await KubectlAsync(kubectl, null, "get", "pods", "-n", ns, "-o", "name");
        Succeeded(none);
        Assert.Equal("", none.StandardOutput.Trim());
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_bound_pod_stays_Terminating_until_a_forced_delete_with_grace_period_zero(string kubectl)
    {
        var ns = await fixture.NamespaceAsync("k-force");
        Succeeded(await KubectlAsync(kubectl, Pod(ns, "p", node: "n1"), "create", "-f", "-"));

        Succeeded(await KubectlAsync(kubectl, null, "delete", "pod", "p", "-n", ns, "--wait=false"));
        var terminating = await KubectlAsync(kubectl, null, "get", "pod", "p", "-n", ns, "-o", "jsonpath={.metadata.deletionGracePeriodSeconds}");
        Succeeded(terminating);
        Assert.Equal("30", terminating.StandardOutput);

        var forced = await KubectlAsync(kubectl, null, "delete", "pod", "p", "-n", ns, "--grace-period=0", "--force");
        Succeeded(forced);
        Assert.Contains("force deleted", forced.StandardOutput);
        var gone = await KubectlAsync(kubectl, null, "get", "pod", "p", "-n", ns);
        Assert.Contains("NotFound", gone.StandardError);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Kubectl_delete_namespace_waits_until_the_namespace_and_its_content_are_gone(string kubectl)
    {
        var ns = await fixture.NamespaceAsync("k-ns");
        Succeeded(await KubectlAsync(kubectl, ConfigMaps(ns, "x", "a", "b"), "create", "-f", "-"));
        Succeeded(await KubectlAsync(kubectl, Pod(ns, "p"), "create", "-f", "-"));

        var clock = Stopwatch.StartNew();
        var deleted = await KubectlAsync(kubectl, null, "delete", "namespace", ns);
        clock.Stop();

        Succeeded(deleted);
        Assert.Contains($"namespace \"{ns}\" deleted", deleted.StandardOutput);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"kubectl delete namespace took {clock.Elapsed}");
        var gone = await KubectlAsync(kubectl, null, "get", "namespace", ns);
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("NotFound", gone.StandardError);

        var refused = await KubectlAsync(kubectl, null, "delete", "namespace", "kube-system");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Forbidden", refused.StandardError);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Kubectl_cascade_foreground_background_and_orphan(string kubectl)
    {
        foreach (var cascade in new[] { "foreground", "background", "orphan" })
        {
            var ns = await fixture.NamespaceAsync("k-" + cascade);
            var (_, replicaSet, _) = await CreateChainAsync(ns);

            var deleted = await KubectlAsync(kubectl, null, "delete", "deployment", "web", "-n", ns, $"--cascade={cascade}");
            Succeeded(deleted);
            await DeletionServer.EventuallyAsync(async () => !await fixture.ExistsAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web"), "the deployment goes");
            if (cascade == "orphan")
            {
                var rs = await KubectlAsync(kubectl, null, "get", "replicaset", "web-1", "-n", ns, "-o", "jsonpath={.metadata.uid}/{.metadata.ownerReferences}");
                Succeeded(rs);
                Assert.Equal(DeletionServer.Uid(replicaSet) + "/", rs.StandardOutput);
                continue;
            }

            await DeletionServer.EventuallyAsync(async () => !await fixture.ExistsAsync($"/apis/apps/v1/namespaces/{ns}/replicasets/web-1")
                && !await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/pods/web-1-a"), $"the dependents go ({cascade})");
        }
    }

    private async Task<(System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject)> CreateChainAsync(string ns)
    {
        const string template = """{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx:1.25"}]}}""";
        var deployment = await fixture.CreateAsync($"/apis/apps/v1/namespaces/{ns}/deployments",
            $$$"""{"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{{{template}}}}}""");
        var replicaSet = await fixture.CreateAsync($"/apis/apps/v1/namespaces/{ns}/replicasets",
            $$$"""{"metadata":{"name":"web-1","ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"{{{DeletionServer.Uid(deployment)}}}","controller":true,"blockOwnerDeletion":true}]},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{{{template}}}}}""");
        var pod = await fixture.CreateAsync($"/api/v1/namespaces/{ns}/pods",
            $$$"""{"metadata":{"name":"web-1-a","labels":{"app":"web"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-1","uid":"{{{DeletionServer.Uid(replicaSet)}}}","controller":true,"blockOwnerDeletion":true}]},"spec":{"containers":[{"name":"c","image":"nginx:1.25"}]}}""");
        return (deployment, replicaSet, pod);
    }
}
