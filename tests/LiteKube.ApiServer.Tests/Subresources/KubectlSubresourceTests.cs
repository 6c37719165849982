namespace LiteKube.ApiServer.Tests.Subresources;

/// <summary>scale, patch --subresource=status, logs and exec through the real kubectl clients.</summary>
public sealed class KubectlSubresourceTests(SharedServer fixture) : IClassFixture<SharedServer>
{
    public static TheoryData<string> Clients() =>
    [
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.27",
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.30",
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.33",
    ];

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Kubectl_scale_changes_the_replicas_and_honours_current_replicas(string kubectl)
    {
        var ns = await fixture.NamespaceAsync();
        var server = fixture.Server;
        var created = await server.KubectlAsync(kubectl, SharedServer.Deployment("web"), "create", "-n", ns, "-f", "-");
        Assert.True(created.ExitCode == 0, created.StandardError);

        var scaled = await server.KubectlAsync(kubectl, null, "scale", "-n", ns, "deployment/web", "--replicas=5");
        Assert.True(scaled.ExitCode == 0, scaled.StandardError);
        Assert.Contains("deployment.apps/web scaled", scaled.StandardOutput);
        Assert.Equal("5", (await server.KubectlAsync(kubectl, null, "get", "-n", ns, "deployment", "web", "-o", "jsonpath={.spec.replicas}")).StandardOutput);

        // With a precondition kubectl reads the Scale and writes it back with PUT.
        var precondition = await server.KubectlAsync(kubectl, null, "scale", "-n", ns, "deployment/web", "--current-replicas=5", "--replicas=2");
        Assert.True(precondition.ExitCode == 0, precondition.StandardError);
        Assert.Equal("2", (await server.KubectlAsync(kubectl, null, "get", "-n", ns, "deployment", "web", "-o", "jsonpath={.spec.replicas}")).StandardOutput);

        var mismatch = await server.KubectlAsync(kubectl, null, "scale", "-n", ns, "deployment/web", "--current-replicas=7", "--replicas=1");
        Assert.NotEqual(0, mismatch.ExitCode);
        Assert.Contains("Expected replicas to be 7, was 2", mismatch.StandardError);

        var negative = await server.KubectlAsync(kubectl, null, "scale", "-n", ns, "deployment/web", "--replicas=-3");
        Assert.NotEqual(0, negative.ExitCode);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Kubectl_patches_the_status_subresource_and_reads_pod_logs_errors(string kubectl)
    {
        var ns = await fixture.NamespaceAsync();
        var server = fixture.Server;
        Assert.Equal(0, (await server.KubectlAsync(kubectl, SharedServer.Pod("p"), "create", "-n", ns, "-f", "-")).ExitCode);

        var patched = await server.KubectlAsync(kubectl, null, "patch", "-n", ns, "pod", "p", "--subresource=status", "--type=merge",
            "-p", """{"status":{"phase":"Running"},"spec":{"nodeName":"ignored"}}""");
        Assert.True(patched.ExitCode == 0, patched.StandardError);
        var phase = await server.KubectlAsync(kubectl, null, "get", "-n", ns, "pod", "p", "-o", "jsonpath={.status.phase}/{.spec.nodeName}");
        Assert.Equal("Running/", phase.StandardOutput);

        var logs = await server.KubectlAsync(kubectl, null, "logs", "-n", ns, "p");
        Assert.NotEqual(0, logs.ExitCode);
        Assert.Contains("pod p does not have a host assigned", logs.StandardError);

        var exec = await server.KubectlAsync(kubectl, null, "exec", "-n", ns, "p", "--", "ls");
        Assert.NotEqual(0, exec.ExitCode);
        Assert.Contains("does not have a host assigned", exec.StandardError);
    }
}
