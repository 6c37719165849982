using System.Text.Json.Nodes;
using LiteKube.ApiServer.Security;
using LiteKube.ApiServer.Security.Rbac;
using static LiteKube.ApiServer.Tests.Security.RbacPolicyBuilder;

namespace LiteKube.ApiServer.Tests.Security;

public sealed class EscalationPreventionTests
{
    private static readonly UserInfo Bob = Person("bob");

    /// <summary>Bob may read pods in team-a; cluster roles "reader" (get pods) and "god" (everything) exist.</summary>
    private static RbacPolicyBuilder Policy() => new RbacPolicyBuilder()
        .ClusterRole("reader", Rule("get,list", "", "pods"))
        .ClusterRole("god", Rule("*", "*", "*"), UrlRule("*", "*"))
        .RoleBinding("team-a", "bob-reads", ClusterRoleRef("reader"), User("bob"));

    private static JsonObject Role(string rulesJson) => JsonNode.Parse($$"""{"metadata":{"name":"r"},"rules":{{rulesJson}}}""")!.AsObject();

    private static JsonObject Binding(string kind, string role) =>
        JsonNode.Parse($$"""{"metadata":{"name":"b"},"roleRef":{"kind":"{{kind}}","name":"{{role}}"},"subjects":[{"kind":"User","name":"carol"}]}""")!.AsObject();

    [Fact]
    public void A_user_may_write_a_role_with_rules_it_holds_in_that_namespace()
    {
        var policy = Policy().Build();

        Assert.Null(EscalationPrevention.Refusal(policy, Bob, "roles", "team-a", Role("""[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]""")));
        Assert.NotNull(EscalationPrevention.Refusal(policy, Bob, "roles", "team-b", Role("""[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]""")));
    }

    [Fact]
    public void A_role_with_rules_the_user_lacks_is_refused_naming_exactly_what_is_missing()
    {
        var refusal = EscalationPrevention.Refusal(Policy().Build(), Bob, "roles", "team-a",
            Role("""[{"apiGroups":[""],"resources":["pods","secrets"],"verbs":["get","delete"]}]"""));

        Assert.Equal("""
            user "bob" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:
            {APIGroups:[""], Resources:["pods"], Verbs:["delete"]}
            {APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}
            """.ReplaceLineEndings("\n"), refusal);
    }

    [Fact]
    public void A_user_may_bind_a_role_whose_rules_it_holds_but_not_a_bigger_one()
    {
        var policy = Policy().Build();

        Assert.Null(EscalationPrevention.Refusal(policy, Bob, "rolebindings", "team-a", Binding("ClusterRole", "reader")));
        Assert.Contains("{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}", EscalationPrevention.Refusal(policy, Bob, "rolebindings", "team-a", Binding("ClusterRole", "god")));
        Assert.NotNull(EscalationPrevention.Refusal(policy, Bob, "clusterrolebindings", "", Binding("ClusterRole", "reader")));
    }

    [Fact]
    public void The_bind_verb_on_a_role_allows_binding_it_without_holding_its_rules()
    {
        var policy = Policy()
            .ClusterRole("binder", Rule("bind", "rbac.authorization.k8s.io", "clusterroles", names: "god"))
            .RoleBinding("team-a", "bob-binds", ClusterRoleRef("binder"), User("bob"))
            .Build();

        Assert.Null(EscalationPrevention.Refusal(policy, Bob, "rolebindings", "team-a", Binding("ClusterRole", "god")));
        Assert.NotNull(EscalationPrevention.Refusal(policy, Bob, "rolebindings", "team-b", Binding("ClusterRole", "god")));
    }

    [Fact]
    public void The_escalate_verb_allows_writing_a_role_with_any_rules()
    {
        var policy = Policy()
            .ClusterRole("escalator", Rule("escalate", "rbac.authorization.k8s.io", "roles"))
            .RoleBinding("team-a", "bob-escalates", ClusterRoleRef("escalator"), User("bob"))
            .Build();

        Assert.Null(EscalationPrevention.Refusal(policy, Bob, "roles", "team-a", Role("""[{"apiGroups":["*"],"resources":["*"],"verbs":["*"]}]""")));
    }

    [Fact]
    public void System_masters_may_grant_anything_and_other_resources_are_not_judged()
    {
        var master = new UserInfo("root", [SystemGroups.Masters]);

        Assert.Null(EscalationPrevention.Refusal(RbacPolicy.Empty, master, "clusterrolebindings", "", Binding("ClusterRole", "missing")));
        Assert.Null(EscalationPrevention.Refusal(RbacPolicy.Empty, Bob, "configmaps", "team-a", Role("[]")));
    }

    [Fact]
    public void Binding_a_role_that_does_not_exist_is_refused_with_the_reason()
    {
        Assert.Equal("role.rbac.authorization.k8s.io \"nope\" not found",
            EscalationPrevention.Refusal(Policy().Build(), Bob, "rolebindings", "team-a", Binding("Role", "nope")));
    }

    [Theory]
    [InlineData("*/scale", "deployments/scale", true)]
    [InlineData("*/scale", "deployments", false)]
    [InlineData("deployments", "deployments/scale", false)]
    [InlineData("*", "anything/status", true)]
    public void Held_resources_cover_wanted_ones_as_upstream(string held, string wanted, bool covered)
    {
        Assert.Equal(covered, RuleCoverage.Uncovered([Rule("get", "apps", held)], [Rule("get", "apps", wanted)]).Count == 0);
    }

    [Fact]
    public void Held_resource_names_and_url_prefixes_cover_only_what_they_name()
    {
        Assert.Empty(RuleCoverage.Uncovered([Rule("get", "", "configmaps")], [Rule("get", "", "configmaps", names: "a,b")]));
        Assert.Single(RuleCoverage.Uncovered([Rule("get", "", "configmaps", names: "a")], [Rule("get", "", "configmaps", names: "a,b")]));
        Assert.Single(RuleCoverage.Uncovered([Rule("get", "", "configmaps", names: "a")], [Rule("get", "", "configmaps")]));
        Assert.Empty(RuleCoverage.Uncovered([UrlRule("get", "/logs/*")], [UrlRule("get", "/logs/today", "/logs/*")]));
        Assert.Single(RuleCoverage.Uncovered([UrlRule("get", "/logs/*")], [UrlRule("get", "/metrics")]));
    }
}
