using LiteKube.ApiServer.Security;
using LiteKube.ApiServer.Security.Rbac;
using static LiteKube.ApiServer.Tests.Security.RbacPolicyBuilder;

namespace LiteKube.ApiServer.Tests.Security;

public sealed class DefaultClusterRolesTests
{
    private static readonly UserInfo Bob = Person("bob");

    /// <summary>The default roles and bindings, plus Bob bound to <paramref name="role"/> in team-a.</summary>
    private static RbacPolicy Defaults(string? role = null)
    {
        var builder = new RbacPolicyBuilder();
        foreach (var (name, rules) in DefaultClusterRoles.Roles)
        {
            builder.ClusterRole(name, [.. rules]);
        }

        foreach (var (name, roleName, subjects) in DefaultClusterRoles.Bindings)
        {
            builder.ClusterRoleBinding(name, roleName, [.. subjects]);
        }

        if (role is not null)
        {
            builder.RoleBinding("team-a", "bob", ClusterRoleRef(role), User("bob"));
        }

        return builder.Build();
    }

    private static bool Can(RbacPolicy policy, UserInfo user, string verb, string resource, string group = "", string ns = "team-a", string name = "") =>
        RbacAuthorizer.Authorize(policy, Request(user, verb, resource, ns, group, name)).Allowed;

    [Fact]
    public void Every_authenticated_user_may_discover_the_api_and_ask_about_itself_but_nothing_more()
    {
        var policy = Defaults();

        Assert.True(RbacAuthorizer.Authorize(policy, PathRequest(Bob, "get", "/apis/apps/v1")).Allowed);
        Assert.True(RbacAuthorizer.Authorize(policy, PathRequest(Bob, "get", "/openapi/v3")).Allowed);
        Assert.True(Can(policy, Bob, "create", "selfsubjectaccessreviews", "authorization.k8s.io", ns: ""));
        Assert.True(Can(policy, Bob, "create", "selfsubjectrulesreviews", "authorization.k8s.io", ns: ""));
        Assert.True(Can(policy, Bob, "create", "selfsubjectreviews", "authentication.k8s.io", ns: ""));
        Assert.False(Can(policy, Bob, "create", "subjectaccessreviews", "authorization.k8s.io", ns: ""));
        Assert.False(Can(policy, Bob, "list", "pods"));
        Assert.False(Can(policy, Bob, "list", "namespaces", ns: ""));
    }

    [Fact]
    public void Anonymous_requests_may_read_only_health_and_version()
    {
        var policy = Defaults();

        foreach (var path in new[] { "/healthz", "/livez", "/readyz", "/version" })
        {
            Assert.True(RbacAuthorizer.Authorize(policy, PathRequest(UserInfo.Anonymous, "get", path)).Allowed, path);
        }

        Assert.False(RbacAuthorizer.Authorize(policy, PathRequest(UserInfo.Anonymous, "get", "/api")).Allowed);
        Assert.False(Can(policy, UserInfo.Anonymous, "create", "selfsubjectaccessreviews", "authorization.k8s.io", ns: ""));
    }

    [Fact]
    public void View_reads_workloads_but_not_secrets_and_writes_nothing()
    {
        var policy = Defaults("view");

        Assert.True(Can(policy, Bob, "list", "pods"));
        Assert.True(Can(policy, Bob, "get", "deployments", "apps", name: "web"));
        Assert.True(Can(policy, Bob, "get", "pods/log", name: "p"));
        Assert.False(Can(policy, Bob, "get", "secrets", name: "s"));
        Assert.False(Can(policy, Bob, "create", "pods"));
        Assert.False(Can(policy, Bob, "list", "roles", "rbac.authorization.k8s.io"));
    }

    [Fact]
    public void Edit_adds_writes_secrets_exec_and_tokens_but_not_rbac()
    {
        var policy = Defaults("edit");

        Assert.True(Can(policy, Bob, "create", "pods"));
        Assert.True(Can(policy, Bob, "get", "secrets", name: "s"));
        Assert.True(Can(policy, Bob, "create", "pods/exec", name: "p"));
        Assert.True(Can(policy, Bob, "create", "serviceaccounts/token", name: "robot"));
        Assert.True(Can(policy, Bob, "patch", "deployments/scale", "apps", name: "web"));
        Assert.False(Can(policy, Bob, "create", "rolebindings", "rbac.authorization.k8s.io"));
        Assert.False(Can(policy, Bob, "update", "pods/status", name: "p"));
    }

    [Fact]
    public void Admin_adds_roles_and_bindings_in_its_namespace()
    {
        var policy = Defaults("admin");

        Assert.True(Can(policy, Bob, "create", "rolebindings", "rbac.authorization.k8s.io"));
        Assert.True(Can(policy, Bob, "create", "localsubjectaccessreviews", "authorization.k8s.io"));
        Assert.False(Can(policy, Bob, "create", "clusterrolebindings", "rbac.authorization.k8s.io", ns: ""));
        Assert.False(Can(policy, Bob, "create", "rolebindings", "rbac.authorization.k8s.io", ns: "team-b"));
    }

    [Fact]
    public void The_scheduler_controller_manager_and_nodes_get_their_roles_by_user_and_group()
    {
        var policy = Defaults();
        var scheduler = Person("system:kube-scheduler");
        var controllers = Person("system:kube-controller-manager");
        var node = Person("system:node:n1", SystemGroups.Nodes);

        Assert.True(Can(policy, scheduler, "create", "pods/binding", ns: "default", name: "p"));
        Assert.True(Can(policy, scheduler, "update", "leases", "coordination.k8s.io", ns: "kube-system", name: "kube-scheduler"));
        Assert.False(Can(policy, scheduler, "update", "leases", "coordination.k8s.io", ns: "kube-system", name: "someone-else"));
        Assert.True(Can(policy, controllers, "watch", "deployments", "apps", ns: ""));
        Assert.False(Can(policy, controllers, "delete", "pods", ns: "default", name: "p"));
        Assert.True(Can(policy, node, "patch", "nodes/status", ns: "", name: "n1"));
        Assert.True(Can(policy, node, "update", "pods/status", ns: "default", name: "p"));
        Assert.False(Can(policy, Bob, "patch", "nodes/status", ns: "", name: "n1"));
    }

    [Fact]
    public void Cluster_admin_is_bound_to_system_masters()
    {
        var policy = Defaults();
        var master = new UserInfo("someone", [SystemGroups.Masters]);

        var decision = RbacAuthorizer.Authorize(policy, Request(master, "escalate", "clusterroles", ns: "", group: "rbac.authorization.k8s.io"));

        Assert.True(decision.Allowed);
        Assert.Equal("RBAC: allowed by ClusterRoleBinding \"cluster-admin\" of ClusterRole \"cluster-admin\" to Group \"system:masters\"", decision.Reason);
    }
}
