using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Security.Authorization;
using static LiteKube.ApiServer.Tests.Security.RbacPolicyBuilder;

namespace LiteKube.ApiServer.Tests.Security;

public sealed class AuthorizationAttributesTests
{
    private static AuthorizationAttributes For(string method, string path) =>
        AuthorizationAttributes.For(Person("bob"), RequestInfoParser.Parse(method, path, watchQuery: false));

    [Fact]
    public void A_request_path_becomes_the_attributes_rbac_judges()
    {
        var log = For("GET", "/api/v1/namespaces/team-a/pods/web/log");
        var scale = For("PATCH", "/apis/apps/v1/namespaces/team-a/deployments/web/scale");
        var discovery = For("GET", "/apis/apps/v1");

        Assert.Equal(("get", "", "team-a", "pods", "log", "web"), (log.Verb, log.ApiGroup, log.Namespace, log.Resource, log.Subresource, log.Name));
        Assert.Equal(("patch", "apps", "deployments", "scale"), (scale.Verb, scale.ApiGroup, scale.Resource, scale.Subresource));
        Assert.False(discovery.IsResourceRequest);
        Assert.Equal(("get", "/apis/apps/v1"), (discovery.Verb, discovery.Path));
    }

    [Fact]
    public void A_namespace_object_is_authorized_as_being_in_itself()
    {
        var policy = new RbacPolicyBuilder()
            .ClusterRole("view", Rule("get", "", "namespaces"))
            .RoleBinding("team-a", "bob-view", ClusterRoleRef("view"), User("bob"))
            .Build();

        var own = For("GET", "/api/v1/namespaces/team-a");
        var other = For("GET", "/api/v1/namespaces/team-b");

        Assert.Equal("team-a", own.Namespace);
        Assert.True(RequestAuthorizer.Decide(policy, own).Allowed);
        Assert.False(RequestAuthorizer.Decide(policy, other).Allowed);
        Assert.False(RequestAuthorizer.Decide(policy, For("GET", "/api/v1/namespaces")).Allowed);
    }
}
