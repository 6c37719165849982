using System.Net;

namespace LiteKube.ApiServer.Tests.Subresources;

/// <summary>Subresources are authorized as resource/subresource, and namespaces/finalize.</summary>
public sealed class SubresourceAuthorizationTests(SharedServer fixture) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task Rights_on_a_resource_do_not_grant_its_subresources_and_the_other_way_round()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", SharedServer.Pod("p"));
        await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", SharedServer.Deployment("web"));
        var role = await fixture.SendAsync(HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", """
            {"metadata":{"name":"r"},"rules":[
              {"apiGroups":[""],"resources":["pods"],"verbs":["get","patch"]},
              {"apiGroups":["apps"],"resources":["deployments/scale"],"verbs":["get","patch"]}]}
            """);
        Assert.Equal(HttpStatusCode.Created, role.Code);
        await fixture.SendAsync(HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", """
            {"metadata":{"name":"b"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"bob"}]}
            """);
        using var bob = fixture.Server.CreateHttpClient("bob");

        var status = SharedServer.AssertStatus(HttpStatusCode.Forbidden, "Forbidden", await SharedServer.SendAsync(bob, HttpMethod.Patch,
            $"/api/v1/namespaces/{ns}/pods/p/status", """{"status":{"phase":"Running"}}""", "application/merge-patch+json"));
        Assert.Contains("cannot patch resource \"pods/status\"", status["message"]!.ToString());
        SharedServer.AssertStatus(HttpStatusCode.Forbidden, "Forbidden",
            await SharedServer.SendAsync(bob, HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/eviction", """{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"p"}}"""));
        SharedServer.AssertStatus(HttpStatusCode.Forbidden, "Forbidden",
            await SharedServer.SendAsync(bob, HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments/web"));

        var scaled = await SharedServer.SendAsync(bob, HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale",
            """{"spec":{"replicas":2}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, scaled.Code);
        Assert.Equal(HttpStatusCode.OK, (await SharedServer.SendAsync(bob, HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p")).Code);
    }

    [Fact]
    public async Task Finalize_stores_the_namespace_finalizers_and_keeps_its_status()
    {
        var ns = await fixture.NamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/finalize";

        var finalized = await fixture.SendAsync(HttpMethod.Put, path,
            $$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{ns}}"},"spec":{"finalizers":["example.com/hold"]},"status":{"phase":"Terminating"} }""");

        Assert.Equal(HttpStatusCode.OK, finalized.Code);
        var stored = (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}")).Body;
        Assert.Equal("example.com/hold", stored["spec"]!["finalizers"]![0]!.ToString());
        Assert.Equal("Active", stored["status"]!["phase"]!.ToString());

        SharedServer.AssertStatus((HttpStatusCode)422, "Invalid", await fixture.SendAsync(HttpMethod.Put, path,
            $$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{ns}}"},"spec":{"finalizers":["hold"]} }"""));
        SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await fixture.SendAsync(HttpMethod.Put, path,
            """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"other"},"spec":{"finalizers":[]}}"""));
        SharedServer.AssertStatus(HttpStatusCode.NotFound, "NotFound", await fixture.SendAsync(HttpMethod.Put, "/api/v1/namespaces/none/finalize",
            """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"none"},"spec":{"finalizers":[]}}"""));
        SharedServer.AssertStatus(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", await fixture.SendAsync(HttpMethod.Get, path));
    }
}
