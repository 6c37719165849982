using LiteKube.EndToEnd.Tests.Infrastructure;
using static LiteKube.EndToEnd.Tests.Kubectl.KubectlServerFixture;

namespace LiteKube.EndToEnd.Tests.Kubectl;

/// <summary><c>litekube kubectl</c> with the machine's kubectl against a running server: the
/// kubeconfig found from the data dir, stdin, output and the exit code passed through.</summary>
public sealed class LiteKubeKubectlTests(KubectlServerFixture server) : IClassFixture<KubectlServerFixture>
{
    private Dictionary<string, string> Environment() => new()
    {
        ["LITEKUBE_DATA_DIR"] = server.Node.DataDirectory,
        ["KUBECONFIG"] = "",
    };

    // kubectl's own flag, passed through: a discovery cache of this test's own.
    private string[] Kubectl(params string[] arguments) => ["kubectl", "--cache-dir", Path.Combine(server.CacheRoot, "litekube-kubectl"), .. arguments];

    [Fact]
    public async Task Litekube_kubectl_talks_to_the_server_of_the_data_dir()
    {
        var namespaces = await LiteKubeCommand.RunAsync(Kubectl("get", "namespaces"), Environment());
        Assert.True(namespaces.ExitCode == 0, namespaces.ToString());
        Assert.Matches(@"^NAME\s+STATUS\s+AGE\n", namespaces.StandardOutput);
        Assert.Matches(@"\nkube-system\s+Active\s+", namespaces.StandardOutput);

        var nodes = await LiteKubeCommand.RunAsync(Kubectl("get", "nodes"), Environment());
        Assert.True(nodes.ExitCode == 0, nodes.ToString());

        var applied = await LiteKubeCommand.RunAsync(Kubectl("apply", "-f", "-", "-n", "default"), Environment(),
            standardInput: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: through-litekube}\ndata: {k: v}\n");
        Assert.Equal("configmap/through-litekube created\n", Succeeded(applied));

        var missing = await LiteKubeCommand.RunAsync(Kubectl("get", "configmap", "no-such-map", "-n", "default"), Environment());
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("configmaps \"no-such-map\" not found", missing.StandardError, StringComparison.Ordinal);
    }
}
