using static LiteKube.EndToEnd.Tests.Kubectl.KubectlServerFixture;

namespace LiteKube.EndToEnd.Tests.Kubectl;

/// <summary>Service accounts as upstream does them, against the published binary: a new
/// namespace gets the <c>default</c> ServiceAccount and the <c>kube-root-ca.crt</c> ConfigMap
/// (holding the CA in the data dir), a pod gets the projected token volume, and a pod naming a
/// missing ServiceAccount is refused with a Forbidden Status.</summary>
public sealed class KubectlServiceAccountTests(KubectlServerFixture server) : IClassFixture<KubectlServerFixture>
{
    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task A_new_namespace_has_the_default_service_account_the_root_ca_and_pods_get_the_token_volume(int minor)
    {
        var ns = $"sa-{minor}";
        Assert.Equal($"namespace/{ns} created\n", Succeeded(await server.KubectlAsync(minor, null, "create", "namespace", ns)));
        await server.WaitForServiceAccountAsync(ns);

        Assert.Matches(@"^NAME\s+SECRETS\s+AGE\ndefault\s+0\s+\S+\n$", Succeeded(await server.KubectlAsync(minor, null, "get", "serviceaccounts", "-n", ns)));
        var ca = await File.ReadAllTextAsync(Path.Combine(server.Node.DataDirectory, "tls", "ca.crt"));
        Assert.Equal(ca, await RootCaAsync(minor, ns));

        const string Pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: \"nginx:1.27\"}]\n";
        Assert.Equal("pod/web created\n", Succeeded(await server.KubectlAsync(minor, Pod, "create", "-n", ns, "-f", "-")));
        var yaml = Succeeded(await server.KubectlAsync(minor, null, "get", "pod", "web", "-n", ns, "-o", "yaml"));
        Assert.Contains("serviceAccountName: default", yaml, StringComparison.Ordinal);
        Assert.Matches(@"- mountPath: /var/run/secrets/kubernetes.io/serviceaccount\n\s+name: (kube-api-access-\w{5})\n\s+readOnly: true\n", yaml);
        Assert.Matches(@"\n  - name: kube-api-access-\w{5}\n    projected:\n      defaultMode: 420\n      sources:\n      - serviceAccountToken:\n          expirationSeconds: 3607\n          path: token\n", yaml);

        var refused = await server.KubectlAsync(minor, Pod.Replace("containers", "serviceAccountName: ghost\n  containers", StringComparison.Ordinal), "create", "-n", ns, "-f", "-");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"pods \"web\" is forbidden: error looking up service account {ns}/ghost: serviceaccount \"ghost\" not found", refused.StandardError, StringComparison.Ordinal);

        // Deleted, the ConfigMap comes back with the CA.
        Succeeded(await server.KubectlAsync(minor, null, "delete", "configmap", "kube-root-ca.crt", "-n", ns));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await RootCaAsync(minor, ns) != ca)
        {
            Assert.True(DateTime.UtcNow < deadline, "kube-root-ca.crt was not restored within 30 s");
            await Task.Delay(100);
        }
    }

    private async Task<string?> RootCaAsync(int minor, string ns)
    {
        var output = await server.KubectlAsync(minor, null, "get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", @"jsonpath={.data.ca\.crt}");
        return output.ExitCode == 0 ? output.StandardOutput : null;
    }
}
