using LiteKube.ApiServer.Security;
using LiteKube.ApiServer.Security.Authorization;
using LiteKube.ApiServer.Security.Rbac;
using static LiteKube.ApiServer.Tests.Security.RbacPolicyBuilder;

namespace LiteKube.ApiServer.Tests.Security;

public sealed class RbacAuthorizerTests
{
    private static readonly UserInfo Bob = Person("bob", "devs");

    [Fact]
    public void A_user_without_bindings_is_denied_without_a_reason()
    {
        var policy = new RbacPolicyBuilder().ClusterRole("view", Rule("get,list", "", "pods")).Build();

        var decision = RbacAuthorizer.Authorize(policy, Request(Bob, "list", "pods", "default"));

        Assert.False(decision.Allowed);
        Assert.Equal("", decision.Reason);
    }

    [Fact]
    public void A_cluster_role_binding_to_a_group_allows_its_members_in_every_namespace_and_says_why()
    {
        var policy = new RbacPolicyBuilder()
            .ClusterRole("reader", Rule("get,list", "", "pods"))
            .ClusterRoleBinding("devs-read", "reader", Group("devs"))
            .Build();

        var decision = RbacAuthorizer.Authorize(policy, Request(Bob, "list", "pods", "team-a"));

        Assert.True(decision.Allowed);
        Assert.Equal("RBAC: allowed by ClusterRoleBinding \"devs-read\" of ClusterRole \"reader\" to Group \"devs\"", decision.Reason);
        Assert.True(RbacAuthorizer.Authorize(policy, Request(Bob, "list", "pods")).Allowed);
        Assert.False(RbacAuthorizer.Authorize(policy, Request(Bob, "delete", "pods", "team-a", name: "p")).Allowed);
    }

    [Fact]
    public void A_role_binding_grants_only_in_its_own_namespace_even_when_it_names_a_cluster_role()
    {
        var policy = new RbacPolicyBuilder()
            .ClusterRole("view", Rule("get,list,watch", "", "pods"))
            .RoleBinding("team-a", "bob-view", ClusterRoleRef("view"), User("bob"))
            .Build();

        var decision = RbacAuthorizer.Authorize(policy, Request(Bob, "list", "pods", "team-a"));

        Assert.True(decision.Allowed);
        Assert.Equal("RBAC: allowed by RoleBinding \"bob-view/team-a\" of ClusterRole \"view\" to User \"bob\"", decision.Reason);
        Assert.False(RbacAuthorizer.Authorize(policy, Request(Bob, "list", "pods", "team-b")).Allowed);
        Assert.False(RbacAuthorizer.Authorize(policy, Request(Bob, "list", "pods")).Allowed);
    }

    [Fact]
    public void A_role_binding_to_a_role_uses_the_role_of_its_own_namespace()
    {
        var policy = new RbacPolicyBuilder()
            .Role("team-a", "editor", Rule("create", "", "configmaps"))
            .Role("team-b", "editor", Rule("create", "", "secrets"))
            .RoleBinding("team-a", "bob-edit", RoleRefTo("editor"), User("bob"))
            .Build();

        Assert.True(RbacAuthorizer.Authorize(policy, Request(Bob, "create", "configmaps", "team-a")).Allowed);
        Assert.False(RbacAuthorizer.Authorize(policy, Request(Bob, "create", "secrets", "team-a")).Allowed);
    }

    [Theory]
    [InlineData("pods", "pods", true)]
    [InlineData("pods", "pods/log", false)]
    [InlineData("pods/log", "pods/log", true)]
    [InlineData("pods/log", "pods", false)]
    [InlineData("*", "pods/log", true)]
    [InlineData("*/scale", "deployments/scale", true)]
    [InlineData("*/scale", "deployments", false)]
    [InlineData("*/scale", "deployments/status", false)]
    public void Subresources_need_their_own_rule_unless_a_wildcard_covers_them(string ruleResource, string requested, bool allowed)
    {
        var policy = new RbacPolicyBuilder()
            .ClusterRole("r", Rule("get", "*", ruleResource))
            .ClusterRoleBinding("b", "r", User("bob"))
            .Build();

        Assert.Equal(allowed, RbacAuthorizer.Authorize(policy, Request(Bob, "get", requested, "default", name: "x")).Allowed);
    }

    [Fact]
    public void Resource_names_limit_a_rule_to_those_objects_and_never_allow_list_or_create()
    {
        var policy = new RbacPolicyBuilder()
            .ClusterRole("one-map", Rule("get,list,create,update", "", "configmaps", names: "settings"))
            .ClusterRoleBinding("b", "one-map", User("bob"))
            .Build();

        Assert.True(RbacAuthorizer.Authorize(policy, Request(Bob, "get", "configmaps", "default", name: "settings")).Allowed);
        Assert.True(RbacAuthorizer.Authorize(policy, Request(Bob, "update", "configmaps", "default", name: "settings")).Allowed);
        Assert.False(RbacAuthorizer.Authorize(policy, Request(Bob, "get", "configmaps", "default", name: "other")).Allowed);
        Assert.False(RbacAuthorizer.Authorize(policy, Request(Bob, "list", "configmaps", "default")).Allowed);
        Assert.False(RbacAuthorizer.Authorize(policy, Request(Bob, "create", "configmaps", "default")).Allowed);
    }

    [Fact]
    public void Verb_and_group_wildcards_match_anything_but_a_named_group_matches_only_itself()
    {
        var policy = new RbacPolicyBuilder()
            .ClusterRole("apps-all", Rule("*", "apps", "deployments"))
            .ClusterRoleBinding("b", "apps-all", User("bob"))
            .Build();

        Assert.True(RbacAuthorizer.Authorize(policy, Request(Bob, "deletecollection", "deployments", "default", group: "apps")).Allowed);
        Assert.False(RbacAuthorizer.Authorize(policy, Request(Bob, "get", "deployments", "default", group: "extensions", name: "d")).Allowed);
        Assert.False(RbacAuthorizer.Authorize(policy, Request(Bob, "get", "deployments", "default", name: "d")).Allowed);
    }

    [Theory]
    [InlineData("/healthz", "/healthz", true)]
    [InlineData("/healthz", "/healthz/etcd", false)]
    [InlineData("/apis/*", "/apis/apps/v1", true)]
    [InlineData("/apis/*", "/apis", false)]
    [InlineData("/api", "/api/v1", false)]
    [InlineData("*", "/metrics", true)]
    public void Non_resource_urls_match_exactly_or_by_a_trailing_star_prefix(string ruleUrl, string path, bool allowed)
    {
        var policy = new RbacPolicyBuilder()
            .ClusterRole("r", UrlRule("get", ruleUrl))
            .ClusterRoleBinding("b", "r", User("bob"))
            .Build();

        Assert.Equal(allowed, RbacAuthorizer.Authorize(policy, PathRequest(Bob, "get", path)).Allowed);
        Assert.False(RbacAuthorizer.Authorize(policy, PathRequest(Bob, "post", path)).Allowed);
    }

    [Fact]
    public void Resource_rules_never_allow_paths_and_url_rules_never_allow_resources()
    {
        var policy = new RbacPolicyBuilder()
            .ClusterRole("r", Rule("*", "*", "*"))
            .ClusterRole("u", UrlRule("*", "*"))
            .ClusterRoleBinding("resources", "r", User("bob"))
            .ClusterRoleBinding("urls", "u", User("carol"))
            .Build();

        Assert.False(RbacAuthorizer.Authorize(policy, PathRequest(Bob, "get", "/metrics")).Allowed);
        Assert.False(RbacAuthorizer.Authorize(policy, Request(Person("carol"), "get", "pods", "default", name: "p")).Allowed);
    }

    [Fact]
    public void A_service_account_subject_without_a_namespace_means_the_role_binding_namespace()
    {
        var robot = new UserInfo("system:serviceaccount:team-a:robot", ServiceAccountUser.Groups("team-a"));
        var policy = new RbacPolicyBuilder()
            .ClusterRole("view", Rule("list", "", "pods"))
            .RoleBinding("team-a", "robot-view", ClusterRoleRef("view"), ServiceAccount("robot"))
            .ClusterRoleBinding("robot-everywhere", "view", ServiceAccount("robot"))
            .Build();

        var decision = RbacAuthorizer.Authorize(policy, Request(robot, "list", "pods", "team-a"));

        Assert.True(decision.Allowed);
        Assert.Equal("RBAC: allowed by RoleBinding \"robot-view/team-a\" of ClusterRole \"view\" to ServiceAccount \"robot/team-a\"", decision.Reason);
        // In a cluster role binding there is no namespace to default to: the subject matches no one.
        Assert.False(RbacAuthorizer.Authorize(policy, Request(robot, "list", "pods", "team-b")).Allowed);
    }

    [Fact]
    public void Service_account_groups_can_be_bound_like_any_group()
    {
        var robot = new UserInfo("system:serviceaccount:team-a:robot", ServiceAccountUser.Groups("team-a"));
        var policy = new RbacPolicyBuilder()
            .ClusterRole("view", Rule("list", "", "pods"))
            .ClusterRoleBinding("all-sa", "view", Group("system:serviceaccounts:team-a"))
            .Build();

        Assert.True(RbacAuthorizer.Authorize(policy, Request(robot, "list", "pods", "x")).Allowed);
        Assert.False(RbacAuthorizer.Authorize(policy, Request(Bob, "list", "pods", "x")).Allowed);
    }

    [Fact]
    public void Bindings_to_missing_roles_are_reported_in_the_denial_reason()
    {
        var policy = new RbacPolicyBuilder()
            .ClusterRoleBinding("dangling", "gone", User("bob"))
            .RoleBinding("team-a", "dangling-role", RoleRefTo("also-gone"), User("bob"))
            .Build();

        Assert.Equal("RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found",
            RbacAuthorizer.Authorize(policy, Request(Bob, "list", "pods")).Reason);
        Assert.Equal("RBAC: [clusterrole.rbac.authorization.k8s.io \"gone\" not found, role.rbac.authorization.k8s.io \"also-gone\" not found]",
            RbacAuthorizer.Authorize(policy, Request(Bob, "list", "pods", "team-a")).Reason);
    }

    [Fact]
    public void System_masters_are_allowed_without_any_binding()
    {
        var admin = Person("admin", SystemGroups.Masters);

        var decision = RequestAuthorizer.Decide(RbacPolicy.Empty, Request(admin, "delete", "nodes", name: "n1"));

        Assert.True(decision.Allowed);
        Assert.False(RequestAuthorizer.Decide(RbacPolicy.Empty, Request(Bob, "delete", "nodes", name: "n1")).Allowed);
    }

    [Fact]
    public void Rules_for_a_user_list_cluster_wide_then_namespace_grants()
    {
        var policy = new RbacPolicyBuilder()
            .ClusterRole("a", Rule("get", "", "nodes"))
            .ClusterRole("b", Rule("list", "", "pods"))
            .ClusterRoleBinding("everyone", "a", Group(SystemGroups.Authenticated))
            .RoleBinding("team-a", "bob-b", ClusterRoleRef("b"), User("bob"))
            .Build();

        var (inTeamA, errors) = policy.RulesFor(Bob, "team-a");
        var (inTeamB, _) = policy.RulesFor(Bob, "team-b");

        Assert.Empty(errors);
        Assert.Equal(["nodes", "pods"], inTeamA.Select(r => r.Resources[0]));
        Assert.Equal(["nodes"], inTeamB.Select(r => r.Resources[0]));
    }

    [Fact]
    public void Denials_name_the_user_verb_resource_group_and_scope_as_upstream_does()
    {
        Assert.Equal("User \"bob\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
            Request(Bob, "list", "pods", "default").DenialMessage());
        Assert.Equal("User \"bob\" cannot get resource \"deployments/scale\" in API group \"apps\" at the cluster scope",
            Request(Bob, "get", "deployments/scale", group: "apps", name: "web").DenialMessage());
        Assert.Equal("User \"bob\" cannot get path \"/metrics\"", PathRequest(Bob, "get", "/metrics").DenialMessage());
    }

    [Fact]
    public void Forbidden_statuses_carry_upstreams_message_and_details()
    {
        var list = RequestSecurity.Forbidden(Request(Bob, "list", "pods", "default"), "");
        var get = RequestSecurity.Forbidden(Request(Bob, "get", "deployments", "default", group: "apps", name: "web"), "RBAC: clusterrole.rbac.authorization.k8s.io \"x\" not found");
        var path = RequestSecurity.Forbidden(PathRequest(Bob, "get", "/metrics"), "");

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, list.Code);
        Assert.Equal("Forbidden", list.Reason);
        Assert.Equal("pods is forbidden: User \"bob\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", list.Message);
        Assert.Equal("deployments.apps \"web\" is forbidden: User \"bob\" cannot get resource \"deployments\" in API group \"apps\" in the namespace \"default\": RBAC: clusterrole.rbac.authorization.k8s.io \"x\" not found", get.Message);
        Assert.Equal(("web", "deployments", "apps"), (get.Details!.Name, get.Details.Kind, get.Details.Group));
        Assert.Equal("forbidden: User \"bob\" cannot get path \"/metrics\"", path.Message);
    }
}
