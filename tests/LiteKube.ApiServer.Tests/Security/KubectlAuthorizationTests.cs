using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests.Security;

/// <summary>RBAC as the real kubectl clients meet it: denials, grants, and <c>auth can-i</c>.</summary>
public sealed class KubectlAuthorizationTests
{
    private const string BobViewBinding = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: bob-view
          namespace: default
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: view
        subjects:
        - apiGroup: rbac.authorization.k8s.io
          kind: User
          name: bob
        """;

    public static TheoryData<string> Clients() => KubectlClients.All();

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_restricted_user_is_forbidden_until_bound_to_view_and_can_i_tells_the_truth(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();
        var bob = await server.WriteCertificateKubeconfigAsync("bob", "bob", []);

        var denied = await server.KubectlWithAsync(bob, kubectl, null, "get", "pods");
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("Error from server (Forbidden): pods is forbidden: User \"bob\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", denied.StandardError);
        await AssertCanIAsync(server, bob, kubectl, false, "list", "pods");
        await AssertCanIAsync(server, server.KubeconfigPath, kubectl, true, "create", "pods");
        await AssertCanIAsync(server, server.KubeconfigPath, kubectl, true, "delete", "nodes", "--all-namespaces");

        await KubectlClients.AdminCreatesAsync(server, kubectl, ["rolebinding", "bob-view", "--clusterrole=view", "--user=bob"], BobViewBinding);

        var allowed = await server.KubectlWithAsync(bob, kubectl, null, "get", "pods");
        KubectlClients.Succeeded(allowed);
        Assert.Contains("No resources found in default namespace.", allowed.StandardError + allowed.StandardOutput);
        await AssertCanIAsync(server, bob, kubectl, true, "list", "pods");
        await AssertCanIAsync(server, bob, kubectl, false, "create", "pods");
        await AssertCanIAsync(server, bob, kubectl, false, "get", "secrets");
        await AssertCanIAsync(server, bob, kubectl, false, "list", "pods", "-n", "kube-system");
        var otherNamespace = await server.KubectlWithAsync(bob, kubectl, null, "get", "pods", "-n", "kube-system");
        Assert.Contains("cannot list resource \"pods\" in API group \"\" in the namespace \"kube-system\"", otherNamespace.StandardError);

        var rules = await server.KubectlWithAsync(bob, kubectl, null, "auth", "can-i", "--list");
        KubectlClients.Succeeded(rules);
        Assert.Matches(@"(?m)^pods\s+\[\]\s+\[\]\s+\[get list watch\]", rules.StandardOutput);
        Assert.Matches(@"(?m)^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]", rules.StandardOutput);
        Assert.DoesNotMatch(@"(?m)^secrets\s", rules.StandardOutput);
    }

    private static async Task AssertCanIAsync(InProcessApiServer server, string kubeconfig, string kubectl, bool expected, params string[] question)
    {
        var answer = await server.KubectlWithAsync(kubeconfig, kubectl, null, ["auth", "can-i", .. question]);
        Assert.True(answer.StandardOutput.Trim() == (expected ? "yes" : "no"), $"can-i {string.Join(' ', question)}: {answer.StandardOutput}{answer.StandardError}");
        Assert.Equal(expected ? 0 : 1, answer.ExitCode);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_namespace_admin_may_grant_what_it_holds_but_not_cluster_admin(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();
        var bob = await server.WriteCertificateKubeconfigAsync("bob", "bob", []);
        await KubectlClients.AdminCreatesAsync(server, kubectl, ["rolebinding", "bob-admin", "--clusterrole=admin", "--user=bob"],
            BobViewBinding.Replace("bob-view", "bob-admin").Replace("name: view", "name: admin"));

        var grantView = await server.KubectlWithAsync(bob, kubectl, Binding("carol-view", "view"), "create", "--validate=false", "-f", "-");
        var grantAll = await server.KubectlWithAsync(bob, kubectl, Binding("carol-root", "cluster-admin"), "create", "--validate=false", "-f", "-");

        KubectlClients.Succeeded(grantView);
        Assert.NotEqual(0, grantAll.ExitCode);
        Assert.Contains("rolebindings.rbac.authorization.k8s.io \"carol-root\" is forbidden: user \"bob\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held", grantAll.StandardError);
    }

    private static string Binding(string name, string clusterRole) => $"""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: {name}
          namespace: default
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: {clusterRole}
        subjects:
        - kind: User
          name: carol
        """;
}
