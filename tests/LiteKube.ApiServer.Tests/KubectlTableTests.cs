using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests;

/// <summary>kubectl prints the server's Table columns.</summary>
public sealed class KubectlTableTests
{
    private const string Pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels:
            app: web
        spec:
          nodeName: node-1
          containers:
          - name: web
            image: nginx:1.27
        """;

    [Theory]
    [MemberData(nameof(KubectlBasicsTests.Clients), MemberType = typeof(KubectlBasicsTests))]
    public async Task Get_prints_upstream_columns_wide_all_namespaces_and_labels(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();
        var created = await server.KubectlAsync(kubectl, Pod, "create", "--validate=false", "-f", "-");
        Assert.True(created.ExitCode == 0, created.StandardError);

        var pods = await server.KubectlAsync(kubectl, null, "get", "pods");
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n", pods.StandardOutput);
        Assert.Matches(@"\nweb\s+0/1\s+", pods.StandardOutput);

        var wide = await server.KubectlAsync(kubectl, null, "get", "pods", "-o", "wide");
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n", wide.StandardOutput);
        Assert.Contains("node-1", wide.StandardOutput);

        var all = await server.KubectlAsync(kubectl, null, "get", "pods", "-A", "--show-labels");
        Assert.Matches(@"^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+LABELS\n", all.StandardOutput);
        Assert.Matches(@"\ndefault\s+web\s+.*app=web\n", all.StandardOutput);

        var namespaces = await server.KubectlAsync(kubectl, null, "get", "namespaces");
        Assert.Matches(@"^NAME\s+STATUS\s+AGE\n", namespaces.StandardOutput);
        Assert.Matches(@"\nkube-system\s+Active\s+", namespaces.StandardOutput);

        var one = await server.KubectlAsync(kubectl, null, "get", "pod", "web");
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nweb\s+", one.StandardOutput);
    }
}
