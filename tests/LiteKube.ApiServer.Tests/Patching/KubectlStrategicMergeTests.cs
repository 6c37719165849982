using CliWrap;
using CliWrap.Buffered;

namespace LiteKube.ApiServer.Tests.Patching;

/// <summary>What real kubectl sends as strategic merge patches: client-side apply, edit, patch
/// (default type), cordon and uncordon.</summary>
public sealed class KubectlStrategicMergeTests(PatchServerFixture fixture) : IClassFixture<PatchServerFixture>
{
    private static string Deployment(string ns, string image, params int[] ports) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: {{ns}}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: {{image}}
                ports:
        {{string.Concat(ports.Select(p => $"        - containerPort: {p}\n"))}}
        """;

    [Theory]
    [MemberData(nameof(PatchServerFixture.OldestAndNewestKubectl), MemberType = typeof(PatchServerFixture))]
    public async Task Client_side_apply_creates_is_unchanged_then_changes_and_removes_a_port(string kubectl)
    {
        var ns = "apply-" + PatchServerFixture.Minor(kubectl);
        await fixture.CreateNamespaceAsync(kubectl, ns);
        var server = fixture.Server;

        var created = await server.KubectlAsync(kubectl, Deployment(ns, "nginx:1", 80, 443), "apply", "-f", "-");
        Assert.True(created.ExitCode == 0, created.StandardError);
        Assert.Contains("deployment.apps/web created", created.StandardOutput);

        var unchanged = await server.KubectlAsync(kubectl, Deployment(ns, "nginx:1", 80, 443), "apply", "-f", "-");
        Assert.True(unchanged.ExitCode == 0, unchanged.StandardError);
        Assert.Contains("deployment.apps/web unchanged", unchanged.StandardOutput);

        var changed = await server.KubectlAsync(kubectl, Deployment(ns, "nginx:2", 8080, 80), "apply", "-f", "-");
        Assert.True(changed.ExitCode == 0, changed.StandardError);
        Assert.Contains("deployment.apps/web configured", changed.StandardOutput);

        var result = await server.KubectlAsync(kubectl, null, "get", "deployment", "web", "-n", ns, "-o",
            "jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[*].containerPort}");
        Assert.Equal("nginx:2 8080 80", result.StandardOutput);

        var again = await server.KubectlAsync(kubectl, Deployment(ns, "nginx:2", 8080, 80), "apply", "-f", "-");
        Assert.Contains("deployment.apps/web unchanged", again.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(PatchServerFixture.OldestAndNewestKubectl), MemberType = typeof(PatchServerFixture))]
    public async Task Patch_without_a_type_is_a_strategic_merge_that_keeps_the_other_containers_fields(string kubectl)
    {
        var ns = "patch-" + PatchServerFixture.Minor(kubectl);
        await fixture.CreateNamespaceAsync(kubectl, ns);
        var server = fixture.Server;
        Assert.Equal(0, (await server.KubectlAsync(kubectl, Deployment(ns, "nginx:1", 80), "create", "-f", "-")).ExitCode);

        var patched = await server.KubectlAsync(kubectl, null, "patch", "deployment", "web", "-n", ns, "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"},{"name":"web","image":"nginx:3"}]}}}}""");
        Assert.True(patched.ExitCode == 0, patched.StandardError);

        var result = await server.KubectlAsync(kubectl, null, "get", "deployment", "web", "-n", ns, "-o",
            "jsonpath={range .spec.template.spec.containers[*]}{.name}={.image}:{.ports[*].containerPort};{end}");
        Assert.Equal("sidecar=busybox:;web=nginx:3:80;", result.StandardOutput);

        var bad = await server.KubectlAsync(kubectl, null, "patch", "deployment", "web", "-n", ns, "-p",
            """{"spec":{"template":{"spec":{"containers":[{"image":"no-name"}]}}}}""");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("merge key", bad.StandardError);
    }

    [Theory]
    [MemberData(nameof(PatchServerFixture.OldestAndNewestKubectl), MemberType = typeof(PatchServerFixture))]
    public async Task Edit_through_an_editor_script_changes_the_object(string kubectl)
    {
        var ns = "edit-" + PatchServerFixture.Minor(kubectl);
        await fixture.CreateNamespaceAsync(kubectl, ns);
        var server = fixture.Server;
        Assert.Equal(0, (await server.KubectlAsync(kubectl, Deployment(ns, "nginx:1", 80), "create", "-f", "-")).ExitCode);

        var editor = Path.Combine(Path.GetTempPath(), $"lk-editor-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(editor, "#!/bin/sh\nsed -i -e 's/replicas: 1/replicas: 3/' -e 's/image: nginx:1/image: nginx:edited/' \"$1\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(editor, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var edited = await server.KubectlCommand(kubectl, "edit", "deployment", "web", "-n", ns)
                .WithEnvironmentVariables(e => e.Set("KUBE_EDITOR", editor).Set("EDITOR", editor))
                .ExecuteBufferedAsync(timeout.Token);
            Assert.True(edited.ExitCode == 0, edited.StandardError);
            Assert.Contains("deployment.apps/web edited", edited.StandardOutput);
        }
        finally
        {
            File.Delete(editor);
        }

        var result = await server.KubectlAsync(kubectl, null, "get", "deployment", "web", "-n", ns, "-o",
            "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.generation}");
        Assert.Equal("3 nginx:edited 2", result.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(PatchServerFixture.OldestAndNewestKubectl), MemberType = typeof(PatchServerFixture))]
    public async Task Cordon_and_uncordon_a_node_created_from_yaml(string kubectl)
    {
        var node = "node-" + PatchServerFixture.Minor(kubectl);
        var server = fixture.Server;
        var created = await server.KubectlAsync(kubectl, $"apiVersion: v1\nkind: Node\nmetadata:\n  name: {node}\n", "create", "-f", "-");
        Assert.True(created.ExitCode == 0, created.StandardError);

        var cordoned = await server.KubectlAsync(kubectl, null, "cordon", node);
        Assert.True(cordoned.ExitCode == 0, cordoned.StandardError);
        Assert.Contains($"node/{node} cordoned", cordoned.StandardOutput);
        Assert.Equal("true", (await server.KubectlAsync(kubectl, null, "get", "node", node, "-o", "jsonpath={.spec.unschedulable}")).StandardOutput);

        var uncordoned = await server.KubectlAsync(kubectl, null, "uncordon", node);
        Assert.True(uncordoned.ExitCode == 0, uncordoned.StandardError);
        Assert.Contains($"node/{node} uncordoned", uncordoned.StandardOutput);
        Assert.Equal("", (await server.KubectlAsync(kubectl, null, "get", "node", node, "-o", "jsonpath={.spec.unschedulable}")).StandardOutput);
    }
}
