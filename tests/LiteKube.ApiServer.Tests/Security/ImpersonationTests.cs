using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Security;
using LiteKube.ApiServer.Security.Authorization;
using Microsoft.AspNetCore.Http;
using static LiteKube.ApiServer.Tests.Security.RbacPolicyBuilder;

namespace LiteKube.ApiServer.Tests.Security;

public sealed class ImpersonationTests
{
    private static readonly UserInfo Admin = new("admin", [SystemGroups.Masters, SystemGroups.Authenticated]);
    private static readonly UserInfo Bob = Person("bob");

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        return dictionary;
    }

    [Fact]
    public void An_admin_acts_as_the_user_and_groups_it_names_plus_system_authenticated()
    {
        var user = Impersonation.Apply(new RbacPolicyBuilder().Build(), Admin,
            Headers(("Impersonate-User", "carol"), ("Impersonate-Group", "devs"), ("Impersonate-Group", "ops"), ("Impersonate-Extra-Scopes", "read")));

        Assert.Equal("carol", user.Name);
        Assert.Equal(["devs", "ops", "system:authenticated"], user.Groups);
        Assert.Equal(["read"], user.Extra["scopes"]);
    }

    [Fact]
    public void Impersonating_a_service_account_adds_its_groups()
    {
        var user = Impersonation.Apply(new RbacPolicyBuilder().Build(), Admin, Headers(("Impersonate-User", "system:serviceaccount:team-a:robot")));

        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:team-a", "system:authenticated"], user.Groups);
    }

    [Fact]
    public void A_user_without_the_impersonate_verb_is_forbidden()
    {
        var error = Assert.Throws<ApiException>(() => Impersonation.Apply(new RbacPolicyBuilder().Build(), Bob, Headers(("Impersonate-User", "admin"))));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.Code);
        Assert.Equal("users \"admin\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", error.Message);
    }

    [Fact]
    public void The_impersonate_verb_is_checked_for_every_group_asked_for()
    {
        var policy = new RbacPolicyBuilder()
            .ClusterRole("be-carol", Rule("impersonate", "", "users", names: "carol"), Rule("impersonate", "", "groups", names: "devs"))
            .ClusterRoleBinding("bob-be-carol", "be-carol", User("bob"))
            .Build();

        Assert.Equal("carol", Impersonation.Apply(policy, Bob, Headers(("Impersonate-User", "carol"), ("Impersonate-Group", "devs"))).Name);
        Assert.Throws<ApiException>(() => Impersonation.Apply(policy, Bob, Headers(("Impersonate-User", "carol"), ("Impersonate-Group", "system:masters"))));
        Assert.Throws<ApiException>(() => Impersonation.Apply(policy, Bob, Headers(("Impersonate-User", "dave"))));
    }

    [Fact]
    public void Groups_without_a_user_are_a_bad_request()
    {
        var error = Assert.Throws<ApiException>(() => Impersonation.Apply(new RbacPolicyBuilder().Build(), Admin, Headers(("Impersonate-Group", "devs"))));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Code);
        Assert.True(Impersonation.Requested(Headers(("Impersonate-Group", "devs"))));
        Assert.False(Impersonation.Requested(Headers(("Authorization", "Bearer x"))));
    }
}
