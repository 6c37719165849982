using static LiteKube.EndToEnd.Tests.Kubectl.KubectlServerFixture;

namespace LiteKube.EndToEnd.Tests.Kubectl;

/// <summary>Changing objects: <c>apply</c> (client- and server-side), <c>replace</c>,
/// <c>edit</c>, <c>patch</c> of all three types, <c>label</c>, <c>annotate</c>.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KubectlApplyTests(KubectlServerFixture server) : IClassFixture<KubectlServerFixture>
{
    private static string Deployment(params int[] ports) =>
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  replicas: 1\n" +
        "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n" +
        "      - name: web\n        image: nginx:1.27\n        ports:\n" +
        string.Concat(ports.Select(p => $"        - containerPort: {p}\n")) +
        "      - name: sidecar\n        image: busybox:1.36\n";

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Apply_creates_leaves_unchanged_and_changes_a_container_port_and_removes_one(int minor)
    {
        var ns = await server.NewNamespaceAsync($"apply{minor}");
        string Ports() => "{.spec.template.spec.containers[0].ports[*].containerPort}";

        Assert.Equal("deployment.apps/web created\n", Succeeded(await server.KubectlAsync(minor, Deployment(80, 443), "apply", "-n", ns, "-f", "-")));
        Assert.Equal("deployment.apps/web unchanged\n", Succeeded(await server.KubectlAsync(minor, Deployment(80, 443), "apply", "-n", ns, "-f", "-")));
        Assert.Equal("deployment.apps/web configured\n", Succeeded(await server.KubectlAsync(minor, Deployment(8080), "apply", "-n", ns, "-f", "-")));

        Assert.Equal("8080", Succeeded(await server.KubectlAsync(minor, null, "get", "deployment", "web", "-n", ns, "-o", $"jsonpath={Ports()}")));
        Assert.Equal("web sidecar", Succeeded(await server.KubectlAsync(minor, null, "get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[*].name}")));
        Assert.Equal("2", Succeeded(await server.KubectlAsync(minor, null, "get", "deployment", "web", "-n", ns, "-o", "jsonpath={.metadata.generation}")));
    }

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Replace_edit_and_the_three_patch_types_change_the_object(int minor)
    {
        var ns = await server.NewNamespaceAsync($"patch{minor}");
        Succeeded(await server.KubectlAsync(minor, Deployment(80), "apply", "-n", ns, "-f", "-"));
        Succeeded(await server.KubectlAsync(minor, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {color: blue}\n", "create", "-n", ns, "-f", "-"));

        Assert.Equal("configmap/cfg replaced\n", Succeeded(await server.KubectlAsync(minor, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {color: red}\n", "replace", "-n", ns, "-f", "-")));
        Assert.Equal("red", Succeeded(await server.KubectlAsync(minor, null, "get", "configmap", "cfg", "-n", ns, "-o", "jsonpath={.data.color}")));

        var editor = Path.Combine(server.CacheRoot, $"editor-{minor}.sh");
        Directory.CreateDirectory(server.CacheRoot);
        await File.WriteAllTextAsync(editor, "#!/bin/sh\nsed -i 's/color: red/color: green/' \"$1\"\n");
        File.SetUnixFileMode(editor, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var edited = await RunAsync(KubectlClients.Path(minor), ["--kubeconfig", server.Node.KubeconfigPath, "--cache-dir", Path.Combine(server.CacheRoot, $"edit-{minor}"), "edit", "configmap", "cfg", "-n", ns],
            null, new Dictionary<string, string?> { ["KUBE_EDITOR"] = editor, ["EDITOR"] = null });
        Assert.Equal("configmap/cfg edited\n", Succeeded(edited));
        Assert.Equal("green", Succeeded(await server.KubectlAsync(minor, null, "get", "configmap", "cfg", "-n", ns, "-o", "jsonpath={.data.color}")));

        Assert.Equal("configmap/cfg patched\n", Succeeded(await server.KubectlAsync(minor, null, "patch", "configmap", "cfg", "-n", ns, "--type", "json", "-p", "[{\"op\":\"add\",\"path\":\"/data/size\",\"value\":\"3\"}]")));
        Assert.Equal("configmap/cfg patched\n", Succeeded(await server.KubectlAsync(minor, null, "patch", "configmap", "cfg", "-n", ns, "--type", "merge", "-p", "{\"data\":{\"color\":null,\"shape\":\"round\"}}")));
        Assert.Equal("{\"shape\":\"round\",\"size\":\"3\"}", Succeeded(await server.KubectlAsync(minor, null, "get", "configmap", "cfg", "-n", ns, "-o", "jsonpath={.data}")));

        // Strategic merge: the container list merges by name, so the sidecar stays.
        Assert.Equal("deployment.apps/web patched\n", Succeeded(await server.KubectlAsync(minor, null, "patch", "deployment", "web", "-n", ns, "--type", "strategic", "-p", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.28\"}]}}}}")));
        Assert.Equal("web=nginx:1.28 sidecar=busybox:1.36 ", Succeeded(await server.KubectlAsync(minor, null, "get", "deployment", "web", "-n", ns, "-o", "jsonpath={range .spec.template.spec.containers[*]}{.name}={.image} {end}")));

        var bad = await server.KubectlAsync(minor, null, "patch", "configmap", "cfg", "-n", ns, "--type", "json", "-p", "[{\"op\":\"test\",\"path\":\"/data/size\",\"value\":\"4\"}]");
        Assert.NotEqual(0, bad.ExitCode);
    }

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Label_and_annotate(int minor)
    {
        var ns = await server.NewNamespaceAsync($"label{minor}");
        Succeeded(await server.KubectlAsync(minor, Deployment(80), "apply", "-n", ns, "-f", "-"));

        Assert.Equal("deployment.apps/web labeled\n", Succeeded(await server.KubectlAsync(minor, null, "label", "deployment", "web", "-n", ns, "tier=front")));
        // kubectl 1.27 prints "annotate", later clients "annotated".
        Assert.Matches(@"^deployment.apps/web annotated?\n$", Succeeded(await server.KubectlAsync(minor, null, "annotate", "deployment", "web", "-n", ns, "owner=team-a")));
        var exists = await server.KubectlAsync(minor, null, "label", "deployment", "web", "-n", ns, "tier=back");
        Assert.NotEqual(0, exists.ExitCode);
        Assert.Contains("already has a value (front)", exists.StandardError, StringComparison.Ordinal);
        Assert.Equal("deployment.apps/web labeled\n", Succeeded(await server.KubectlAsync(minor, null, "label", "deployment", "web", "-n", ns, "tier=back", "--overwrite")));
        Assert.Equal("deployment.apps/web unlabeled\n", Succeeded(await server.KubectlAsync(minor, null, "label", "deployment", "web", "-n", ns, "app-")));
        Assert.Equal("back team-a", Succeeded(await server.KubectlAsync(minor, null, "get", "deployment", "web", "-n", ns, "-o", "jsonpath={.metadata.labels.tier} {.metadata.annotations.owner}")));
    }

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Apply_server_side_creates_and_updates_with_field_managers(int minor)
    {
        var ns = await server.NewNamespaceAsync($"ssa{minor}");
        const string First = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: \"1\", b: \"2\"}\n";
        const string Second = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: \"10\"}\n";

        Assert.Equal("configmap/ssa serverside-applied\n", Succeeded(await server.KubectlAsync(minor, First, "apply", "--server-side", "-n", ns, "-f", "-")));
        Assert.Equal("configmap/ssa serverside-applied\n", Succeeded(await server.KubectlAsync(minor, Second, "apply", "--server-side", "-n", ns, "-f", "-")));

        Assert.Equal("{\"a\":\"10\"}", Succeeded(await server.KubectlAsync(minor, null, "get", "configmap", "ssa", "-n", ns, "-o", "jsonpath={.data}")));
        Assert.Contains("kubectl", Succeeded(await server.KubectlAsync(minor, null, "get", "configmap", "ssa", "-n", ns, "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}")), StringComparison.Ordinal);
        var conflict = await server.KubectlAsync(minor, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {a: \"20\"}\n", "apply", "--server-side", "--field-manager", "other", "-n", ns, "-f", "-");
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("conflict", conflict.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Scale_changes_the_replicas_through_the_scale_subresource(int minor)
    {
        var ns = await server.NewNamespaceAsync($"scale{minor}");
        Succeeded(await server.KubectlAsync(minor, Deployment(80), "apply", "-n", ns, "-f", "-"));

        Assert.Equal("deployment.apps/web scaled\n", Succeeded(await server.KubectlAsync(minor, null, "scale", "deployment", "web", "-n", ns, "--replicas", "3")));
        Assert.Equal("3", Succeeded(await server.KubectlAsync(minor, null, "get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")));
        var stale = await server.KubectlAsync(minor, null, "scale", "deployment", "web", "-n", ns, "--current-replicas", "1", "--replicas", "5");
        Assert.NotEqual(0, stale.ExitCode);
        Assert.Equal("3", Succeeded(await server.KubectlAsync(minor, null, "get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")));
    }
}
