using static LiteKube.EndToEnd.Tests.Kubectl.KubectlServerFixture;

namespace LiteKube.EndToEnd.Tests.Kubectl;

/// <summary>A server with a <c>--token-auth-file</c> user, <c>jane</c>, for RBAC checks.</summary>
public sealed class TokenUserServerFixture : KubectlServerFixture
{
    public const string JaneToken = "jane-token-31f5c2";

    protected override string? TokenAuthFile => $"{JaneToken},jane,uid-jane,\"developers\"\n";

    /// <summary>A kubeconfig for jane: the cluster CA and her token, no client certificate.</summary>
    public async Task<string> JaneKubeconfigAsync()
    {
        var path = Path.Combine(Node.DataDirectory, "..", "kubeconfig-jane");
        var ca = Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(Node.DataDirectory, "tls", "ca.crt")));
        await File.WriteAllTextAsync(path, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: litekube
              cluster: {server: {{Node.ApiEndpoint}}, certificate-authority-data: {{ca}}}
            users:
            - name: jane
              user: {token: {{JaneToken}}}
            contexts:
            - name: jane
              context: {cluster: litekube, user: jane}
            current-context: jane

            """);
        return path;
    }
}

/// <summary><c>kubectl auth can-i</c> (SelfSubjectAccessReview, protobuf from 1.32) as the admin
/// and as a user who only has what a RoleBinding gives her.</summary>
public sealed class KubectlAuthTests(TokenUserServerFixture server) : IClassFixture<TokenUserServerFixture>
{
    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Auth_can_i_answers_for_the_admin_and_for_a_user_bound_to_a_role(int minor)
    {
        var ns = await server.NewNamespaceAsync($"auth{minor}");
        var binding = $$"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: jane-views, namespace: {{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: jane}]
            """;
        Succeeded(await server.KubectlAsync(27, binding, "apply", "-f", "-"));
        var jane = await server.JaneKubeconfigAsync();

        Assert.Equal("yes\n", Succeeded(await server.KubectlAsync(minor, null, "auth", "can-i", "delete", "deployments", "-n", ns)));
        Assert.Equal("yes\n", Succeeded(await server.KubectlAsync(minor, null, "auth", "can-i", "*", "*", "--all-namespaces")));

        Assert.Equal("yes\n", Succeeded(await server.KubectlWithAsync(jane, minor, null, "auth", "can-i", "list", "pods", "-n", ns)));
        var delete = await server.KubectlWithAsync(jane, minor, null, "auth", "can-i", "delete", "pods", "-n", ns);
        Assert.Equal(1, delete.ExitCode);
        Assert.Equal("no\n", delete.StandardOutput);
        var elsewhere = await server.KubectlWithAsync(jane, minor, null, "auth", "can-i", "list", "pods", "-n", "default");
        Assert.Equal(1, elsewhere.ExitCode);
        Assert.Equal("no\n", elsewhere.StandardOutput);

        var forbidden = await server.KubectlWithAsync(jane, minor, null, "create", "configmap", "nope", "-n", ns);
        Assert.Equal(1, forbidden.ExitCode);
        Assert.Contains("forbidden: User \"jane\" cannot create resource \"configmaps\"", forbidden.StandardError, StringComparison.Ordinal);
        var list = await server.KubectlWithAsync(jane, minor, null, "get", "pods", "-n", ns);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("No resources found", list.StandardError, StringComparison.Ordinal);
    }
}
