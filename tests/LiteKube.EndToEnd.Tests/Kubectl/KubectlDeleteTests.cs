using static LiteKube.EndToEnd.Tests.Kubectl.KubectlServerFixture;

namespace LiteKube.EndToEnd.Tests.Kubectl;

/// <summary><c>delete</c> in its forms and <c>wait --for=delete</c>.</summary>
public sealed class KubectlDeleteTests(KubectlServerFixture server) : IClassFixture<KubectlServerFixture>
{
    private static string ConfigMaps(params string[] names) =>
        string.Join("---\n", names.Select(n => $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {n}}}\ndata: {{k: v}}\n"));

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Delete_with_and_without_wait_from_a_file_and_all(int minor)
    {
        var ns = await server.NewNamespaceAsync($"delete{minor}");
        Succeeded(await server.KubectlAsync(minor, ConfigMaps("a", "b", "c", "d", "e"), "apply", "-n", ns, "-f", "-"));

        Assert.Equal("configmap \"a\" deleted\n", Succeeded(await server.KubectlAsync(minor, null, "delete", "configmap", "a", "-n", ns)));
        Assert.Equal("configmap \"b\" deleted\n", Succeeded(await server.KubectlAsync(minor, null, "delete", "configmap", "b", "-n", ns, "--wait=false")));
        Assert.Equal("configmap \"c\" deleted\n", Succeeded(await server.KubectlAsync(minor, ConfigMaps("c"), "delete", "-n", ns, "-f", "-")));
        var rest = Succeeded(await server.KubectlAsync(minor, null, "delete", "configmaps", "--all", "-n", ns));
        Assert.Contains("configmap \"d\" deleted", rest, StringComparison.Ordinal);
        Assert.Contains("configmap \"e\" deleted", rest, StringComparison.Ordinal);

        var none = await server.KubectlAsync(minor, null, "get", "configmaps", "-n", ns, "-o", "name");
        Assert.True(none.ExitCode == 0, none.ToString());
        // --all took kube-root-ca.crt too; its publisher puts it back, as upstream's does.
        Assert.Equal("", none.StandardOutput.Replace("configmap/kube-root-ca.crt\n", "", StringComparison.Ordinal));
        var missing = await server.KubectlAsync(minor, null, "delete", "configmap", "a", "-n", ns);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("configmaps \"a\" not found", missing.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, (await server.KubectlAsync(minor, null, "delete", "configmap", "a", "-n", ns, "--ignore-not-found")).ExitCode);
    }

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Wait_for_delete_returns_when_the_object_goes_and_times_out_while_it_stays(int minor)
    {
        var ns = await server.NewNamespaceAsync($"waitdel{minor}");
        Succeeded(await server.KubectlAsync(minor, ConfigMaps("doomed", "stays"), "apply", "-n", ns, "-f", "-"));

        var waiting = server.KubectlAsync(minor, null, "wait", "--for=delete", "configmap/doomed", "-n", ns, "--timeout=30s");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Succeeded(await server.KubectlAsync(minor, null, "delete", "configmap", "doomed", "-n", ns, "--wait=false"));
        var waited = await waiting;
        Assert.Equal("configmap/doomed condition met\n", Succeeded(waited));

        var timedOut = await server.KubectlAsync(minor, null, "wait", "--for=delete", "configmap/stays", "-n", ns, "--timeout=2s");
        Assert.NotEqual(0, timedOut.ExitCode);
        Assert.Contains("timed out", timedOut.StandardError, StringComparison.Ordinal);
    }
}
