using System.Net;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tests.Subresources;

public sealed class StatusSubresourceTests(SharedServer fixture) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task Create_clears_the_status_and_a_main_update_keeps_the_stored_status()
    {
        var ns = await fixture.NamespaceAsync();
        var body = JsonNode.Parse(SharedServer.Deployment("web"))!.AsObject();
        body["status"] = new JsonObject { ["replicas"] = 7 };
        var created = await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", body.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, created.Code);
        Assert.Null(created.Body["status"]?["replicas"]);

        var status = await fixture.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web/status",
            WithStatus(created.Body, new JsonObject { ["replicas"] = 3, ["readyReplicas"] = 2 }).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status.Code);

        var main = WithStatus(status.Body, new JsonObject { ["replicas"] = 99 });
        main["spec"]!["replicas"] = 4;
        var updated = await fixture.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web", main.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, updated.Code);
        Assert.Equal(4, updated.Body["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(3, updated.Body["status"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, updated.Body["status"]!["readyReplicas"]!.GetValue<int>());

        var patched = await fixture.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/web",
            """{"status":{"replicas":50}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched.Code);
        Assert.Equal(3, patched.Body["status"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_status_update_changes_only_the_status_and_keeps_a_deployments_spec_and_labels()
    {
        var ns = await fixture.NamespaceAsync();
        var created = await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", SharedServer.Deployment("web"));
        var generation = created.Body["metadata"]!["generation"]!.GetValue<long>();
        var body = WithStatus(created.Body, new JsonObject { ["replicas"] = 1, ["observedGeneration"] = generation });
        body["spec"]!["replicas"] = 9;
        body["metadata"]!["labels"] = new JsonObject { ["team"] = "b" };
        body["metadata"]!["annotations"] = new JsonObject { ["note"] = "kept" };

        var updated = await fixture.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web/status", body.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, updated.Code);
        Assert.Equal(1, updated.Body["status"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, updated.Body["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("a", updated.Body["metadata"]!["labels"]!["team"]!.ToString());
        Assert.Equal("kept", updated.Body["metadata"]!["annotations"]!["note"]!.ToString());
        Assert.Equal(generation, updated.Body["metadata"]!["generation"]!.GetValue<long>());
        var got = await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments/web/status");
        Assert.Equal(1, got.Body["status"]!["replicas"]!.GetValue<int>());
        Assert.Equal("Deployment", got.Body["kind"]!.ToString());
    }

    [Fact]
    public async Task A_status_merge_patch_sets_a_pods_phase_and_cannot_change_its_spec()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", SharedServer.Pod("p"));

        var patched = await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/pods/p/status",
            """{"spec":{"nodeName":"sneaky"},"metadata":{"labels":{"x":"y"}},"status":{"phase":"Running","podIP":"10.42.0.5"}}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.OK, patched.Code);
        Assert.Equal("Running", patched.Body["status"]!["phase"]!.ToString());
        Assert.Equal("10.42.0.5", patched.Body["status"]!["podIP"]!.ToString());
        Assert.Null(patched.Body["spec"]!["nodeName"]);
        // Upstream's pod status strategy lets labels through (the kubelet does not send them).
        Assert.Equal("y", patched.Body["metadata"]!["labels"]!["x"]!.ToString());

        var json = await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/pods/p/status",
            """[{"op":"replace","path":"/status/phase","value":"Succeeded"}]""", "application/json-patch+json");
        Assert.Equal("Succeeded", json.Body["status"]!["phase"]!.ToString());
    }

    [Fact]
    public async Task Status_writes_refuse_a_stale_resource_version_a_wrong_name_and_a_missing_object()
    {
        var ns = await fixture.NamespaceAsync();
        var created = await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", SharedServer.Deployment("web"));
        var stale = WithStatus(created.Body, new JsonObject { ["replicas"] = 1 });
        await fixture.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web/status", stale.ToJsonString());

        SharedServer.AssertStatus(HttpStatusCode.Conflict, "Conflict",
            await fixture.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web/status", stale.ToJsonString()));
        SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest",
            await fixture.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/other/status", stale.ToJsonString()));
        SharedServer.AssertStatus(HttpStatusCode.NotFound, "NotFound",
            await fixture.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/none/status", "{}", "application/merge-patch+json"));
        SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest",
            await fixture.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web/status?fieldValidation=Strict",
                """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"status":{"bogus":1}}"""));
    }

    [Fact]
    public async Task Unknown_subresources_are_not_found_and_unserved_verbs_are_not_allowed()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"cm"}}""");
        SharedServer.AssertStatus(HttpStatusCode.NotFound, "NotFound", await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/cm/status"));
        SharedServer.AssertStatus(HttpStatusCode.NotFound, "NotFound", await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/daemonsets/x/scale"));
        SharedServer.AssertStatus(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/pods/p/status"));
        SharedServer.AssertStatus(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p/binding"));
    }

    private static JsonObject WithStatus(JsonObject obj, JsonObject status)
    {
        var copy = obj.DeepClone().AsObject();
        copy["status"] = status;
        return copy;
    }
}
