using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http.Subresources;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Tests.Subresources;

public sealed class ScaleSubresourceTests(SharedServer fixture) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task Get_scale_answers_an_autoscaling_v1_Scale_with_the_selector_as_a_string()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", SharedServer.Deployment("web", replicas: 2));

        var scale = await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale");

        Assert.Equal(HttpStatusCode.OK, scale.Code);
        Assert.Equal("autoscaling/v1", scale.Body["apiVersion"]!.ToString());
        Assert.Equal("Scale", scale.Body["kind"]!.ToString());
        Assert.Equal("web", scale.Body["metadata"]!["name"]!.ToString());
        Assert.NotNull(scale.Body["metadata"]!["uid"]);
        Assert.Equal(2, scale.Body["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(0, scale.Body["status"]!["replicas"]!.GetValue<int>());
        Assert.Equal("app=web,tier in (api,web)", scale.Body["status"]!["selector"]!.ToString());
    }

    [Fact]
    public async Task Put_and_merge_patch_of_scale_set_spec_replicas_and_bump_the_generation()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", SharedServer.Deployment("web"));
        var scale = (await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale")).Body;
        scale["spec"]!["replicas"] = 4;

        var put = await fixture.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale", scale.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, put.Code);
        Assert.Equal(4, put.Body["spec"]!["replicas"]!.GetValue<int>());

        var patch = await fixture.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale",
            """{"spec":{"replicas":6}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patch.Code);
        Assert.Equal("Scale", patch.Body["kind"]!.ToString());

        var deployment = (await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments/web")).Body;
        Assert.Equal(6, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(3, deployment["metadata"]!["generation"]!.GetValue<int>());

        // Stale: the Scale read before both writes pins an old resourceVersion.
        SharedServer.AssertStatus(HttpStatusCode.Conflict, "Conflict",
            await fixture.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale", scale.ToJsonString()));
    }

    [Fact]
    public async Task Scale_works_for_replica_sets_stateful_sets_and_replication_controllers()
    {
        var ns = await fixture.NamespaceAsync();
        var template = """{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""";
        await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/replicasets",
            $$"""{"metadata":{"name":"rs"},"spec":{"selector":{"matchLabels":{"app":"x"} },"template":{{template}}} }""");
        await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/statefulsets",
            $$"""{"metadata":{"name":"sts"},"spec":{"serviceName":"s","selector":{"matchLabels":{"app":"x"} },"template":{{template}}} }""");
        var rc = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/replicationcontrollers",
            """{"metadata":{"name":"rc"},"spec":{"replicas":1,"selector":{"app":"x","b":"y"},"template":{"metadata":{"labels":{"app":"x","b":"y"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""");
        Assert.Equal(HttpStatusCode.Created, rc.Code);

        foreach (var path in new[] { $"/apis/apps/v1/namespaces/{ns}/replicasets/rs", $"/apis/apps/v1/namespaces/{ns}/statefulsets/sts", $"/api/v1/namespaces/{ns}/replicationcontrollers/rc" })
        {
            var patched = await fixture.SendAsync(HttpMethod.Patch, path + "/scale", """{"spec":{"replicas":3}}""", "application/merge-patch+json");
            Assert.True(patched.Code == HttpStatusCode.OK, patched.Body.ToJsonString());
            Assert.Equal(3, (await fixture.SendAsync(HttpMethod.Get, path)).Body["spec"]!["replicas"]!.GetValue<int>());
        }

        var rcScale = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/replicationcontrollers/rc/scale");
        Assert.Equal("app=x,b=y", rcScale.Body["status"]!["selector"]!.ToString());
    }

    [Fact]
    public async Task Bad_scales_are_refused_with_a_Status()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", SharedServer.Deployment("web"));
        var path = $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale";

        var negative = SharedServer.AssertStatus((HttpStatusCode)422, "Invalid",
            await fixture.SendAsync(HttpMethod.Patch, path, """{"spec":{"replicas":-1}}""", "application/merge-patch+json"));
        Assert.Equal("spec.replicas", negative["details"]!["causes"]![0]!["field"]!.ToString());
        SharedServer.AssertStatus((HttpStatusCode)422, "Invalid",
            await fixture.SendAsync(HttpMethod.Patch, path, """{"spec":{"replicas":"many"}}""", "application/merge-patch+json"));
        SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest",
            await fixture.SendAsync(HttpMethod.Put, path, """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}}"""));
        SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest",
            await fixture.SendAsync(HttpMethod.Put, path, """{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"other"},"spec":{"replicas":1}}"""));
        SharedServer.AssertStatus(HttpStatusCode.Conflict, "Conflict",
            await fixture.SendAsync(HttpMethod.Put, path, """{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web","uid":"not-it"},"spec":{"replicas":1}}"""));
        SharedServer.AssertStatus(HttpStatusCode.NotFound, "NotFound",
            await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments/none/scale"));
        Assert.Equal(1, (await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments/web")).Body["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void The_selector_string_sorts_requirements_by_key_and_values_within_them()
    {
        var deployments = ResourceCatalog.BuiltIn().Find("apps", "v1", "deployments")!;
        var selector = JsonNode.Parse("""
            {"matchLabels":{"b":"2","a":"1"},"matchExpressions":[
              {"key":"z","operator":"NotIn","values":["q","p"]},{"key":"c","operator":"Exists"},{"key":"d","operator":"DoesNotExist"}]}
            """);
        Assert.Equal("a=1,b=2,c,!d,z notin (p,q)", ScaleConversion.SelectorString(deployments, selector));
        Assert.Equal("", ScaleConversion.SelectorString(deployments, null));
    }
}
