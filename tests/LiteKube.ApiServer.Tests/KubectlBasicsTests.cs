using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests;

/// <summary>The real kubectl clients against an in-process API server.</summary>
public sealed class KubectlBasicsTests
{
    public static TheoryData<string> Clients()
    {
        var data = new TheoryData<string>();
        foreach (var minor in Enumerable.Range(27, 7))
        {
            data.Add($"/usr/lib/google-cloud-sdk/bin/kubectl.1.{minor}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Kubectl_lists_the_system_namespaces_and_creates_and_deletes_a_configmap(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();

        var namespaces = await server.KubectlAsync(kubectl, null, "get", "namespaces");
        Assert.True(namespaces.ExitCode == 0, namespaces.StandardError);
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            Assert.Contains(ns, namespaces.StandardOutput);
        }

        var manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n";
        var created = await server.KubectlAsync(kubectl, manifest, "create", "-f", "-");
        Assert.True(created.ExitCode == 0, created.StandardError);
        Assert.Contains("configmap/settings created", created.StandardOutput);

        var yaml = await server.KubectlAsync(kubectl, null, "get", "configmap", "settings", "-o", "jsonpath={.data.color}");
        Assert.Equal("blue", yaml.StandardOutput);

        var again = await server.KubectlAsync(kubectl, manifest, "create", "-f", "-");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("AlreadyExists", again.StandardError);

        var deleted = await server.KubectlAsync(kubectl, null, "delete", "configmap", "settings", "--wait=false");
        Assert.True(deleted.ExitCode == 0, deleted.StandardError);
        var missing = await server.KubectlAsync(kubectl, null, "get", "configmap", "settings");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("NotFound", missing.StandardError);
    }
}
