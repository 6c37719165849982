using System.Net;
using System.Text.Json.Nodes;
using static LiteKube.ApiServer.Tests.Lifecycle.DeletionServer;

namespace LiteKube.ApiServer.Tests.Lifecycle;

/// <summary>The background reconcilers through the API: namespace termination and garbage
/// collection by ownerReferences under each propagation policy.</summary>
public sealed class LifecycleHttpTests(DeletionServer fixture) : IClassFixture<DeletionServer>
{
    private static string Owner(string apiVersion, string kind, JsonObject owner, bool block = true) =>
        $$$"""{"apiVersion":"{{{apiVersion}}}","kind":"{{{kind}}}","name":"{{{owner["metadata"]!["name"]}}}","uid":"{{{Uid(owner)}}}","controller":true,"blockOwnerDeletion":{{{(block ? "true" : "false")}}}}""";

    private static string Template(string app) =>
        $$$"""{"metadata":{"labels":{"app":"{{{app}}}"}},"spec":{"containers":[{"name":"c","image":"nginx:1.25"}]}}""";

    /// <summary>A Deployment, its ReplicaSet and two Pods, linked by ownerReferences with uids,
    /// as the controllers would create them.</summary>
    private async Task<(JsonObject Deployment, JsonObject ReplicaSet, JsonObject[] Pods)> ChainAsync(string ns)
    {
        var deployment = await fixture.CreateAsync($"/apis/apps/v1/namespaces/{ns}/deployments",
            $$$"""{"metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{{{Template("web")}}}}}""");
        var replicaSet = await fixture.CreateAsync($"/apis/apps/v1/namespaces/{ns}/replicasets",
            $$$"""{"metadata":{"name":"web-1","labels":{"app":"web"},"ownerReferences":[{{{Owner("apps/v1", "Deployment", deployment)}}}]},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{{{Template("web")}}}}}""");
        var pods = new List<JsonObject>();
        foreach (var name in new[] { "web-1-a", "web-1-b" })
        {
            pods.Add(await fixture.CreateAsync($"/api/v1/namespaces/{ns}/pods",
                $$$"""{"metadata":{"name":"{{{name}}}","labels":{"app":"web"},"ownerReferences":[{{{Owner("apps/v1", "ReplicaSet", replicaSet)}}}]},"spec":{"containers":[{"name":"c","image":"nginx:1.25"}]}}"""));
        }

        return (deployment, replicaSet, [.. pods]);
    }

    [Fact]
    public async Task Background_deletion_removes_the_owner_at_once_and_then_every_dependent()
    {
        var ns = await fixture.NamespaceAsync("gc-bg");
        await ChainAsync(ns);

        var (code, body) = await fixture.SendAsync(HttpMethod.Delete, $"/apis/apps/v1/namespaces/{ns}/deployments/web", """{"propagationPolicy":"Background"}""");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Status", body["kind"]!.GetValue<string>());
        Assert.False(await fixture.ExistsAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web"));
        await EventuallyAsync(async () => !await fixture.ExistsAsync($"/apis/apps/v1/namespaces/{ns}/replicasets/web-1"), "the replica set is collected");
        await EventuallyAsync(async () => !await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/pods/web-1-a") && !await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/pods/web-1-b"), "the pods are collected");
    }

    [Fact]
    public async Task Foreground_deletion_marks_the_owner_and_removes_it_after_its_dependents()
    {
        var ns = await fixture.NamespaceAsync("gc-fg");
        await ChainAsync(ns);

        var (code, marked) = await fixture.SendAsync(HttpMethod.Delete, $"/apis/apps/v1/namespaces/{ns}/deployments/web", """{"propagationPolicy":"Foreground"}""");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Deployment", marked["kind"]!.GetValue<string>());
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.Contains("foregroundDeletion", marked["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        await EventuallyAsync(async () => !await fixture.ExistsAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web"), "the deployment goes");
        Assert.False(await fixture.ExistsAsync($"/apis/apps/v1/namespaces/{ns}/replicasets/web-1"));
        Assert.False(await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/pods/web-1-a"));
        Assert.False(await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/pods/web-1-b"));
    }

    [Fact]
    public async Task Foreground_deletion_waits_for_a_blocking_dependent_held_by_a_finalizer()
    {
        var ns = await fixture.NamespaceAsync("gc-block");
        var owner = await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"owner"}}""");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps",
            $$$"""{"metadata":{"name":"held","finalizers":["example.com/hold"],"ownerReferences":[{{{Owner("v1", "ConfigMap", owner)}}}]}}""");

        await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/owner", """{"propagationPolicy":"Foreground"}""");
        await EventuallyAsync(async () => (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/held")).Body["metadata"]!["deletionTimestamp"] is not null, "the dependent is being deleted");
        await Task.Delay(300);
        Assert.True(await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/configmaps/owner"));

        await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/held", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
        await EventuallyAsync(async () => !await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/configmaps/owner"), "the owner goes once its dependent is gone");
    }

    [Fact]
    public async Task Orphan_deletion_removes_the_owner_and_leaves_its_dependents_without_the_reference()
    {
        var ns = await fixture.NamespaceAsync("gc-orphan");
        var (deployment, replicaSet, _) = await ChainAsync(ns);

        var (code, marked) = await fixture.SendAsync(HttpMethod.Delete, $"/apis/apps/v1/namespaces/{ns}/deployments/web", """{"propagationPolicy":"Orphan"}""");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Contains("orphan", marked["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        await EventuallyAsync(async () => !await fixture.ExistsAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web"), "the deployment goes");
        var (_, rs) = await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/replicasets/web-1");
        Assert.Equal(Uid(replicaSet), Uid(rs));
        Assert.Null(rs["metadata"]!["ownerReferences"]);
        var (_, pod) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/web-1-a");
        Assert.Equal(Uid(replicaSet), pod["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>());
        Assert.NotEqual(Uid(deployment), Uid(rs));
    }

    [Fact]
    public async Task A_dependent_with_another_live_owner_only_loses_the_reference_to_the_deleted_one()
    {
        var ns = await fixture.NamespaceAsync("gc-two");
        var first = await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"first"}}""");
        var second = await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"second"}}""");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps",
            $$$"""{"metadata":{"name":"shared","ownerReferences":[{{{Owner("v1", "ConfigMap", first, block: false)}}},{"apiVersion":"v1","kind":"ConfigMap","name":"second","uid":"{{{Uid(second)}}}"}]}}""");

        await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/first");

        await EventuallyAsync(async () => (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/shared")).Body["metadata"]!["ownerReferences"]!.AsArray().Count == 1, "the dangling reference is dropped");
        var (_, shared) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/shared");
        Assert.Equal(Uid(second), shared["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_object_whose_owner_never_existed_is_collected_but_one_of_an_unknown_kind_is_kept()
    {
        var ns = await fixture.NamespaceAsync("gc-absent");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps",
            """{"metadata":{"name":"stray","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"ghost","uid":"0a0a0a0a-0000-0000-0000-000000000000"}]}}""");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps",
            """{"metadata":{"name":"custom","ownerReferences":[{"apiVersion":"example.com/v1","kind":"Widget","name":"w","uid":"0b0b0b0b-0000-0000-0000-000000000000"}]}}""");

        await EventuallyAsync(async () => !await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/configmaps/stray"), "the stray object is collected");
        Assert.True(await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/configmaps/custom"));
    }

    [Fact]
    public async Task Deleting_a_namespace_marks_it_Terminating_refuses_creates_and_removes_it_with_its_content()
    {
        var ns = await fixture.NamespaceAsync("term");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"a"}}""");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/pods", """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx:1.25"}]}}""");
        await ChainAsync(ns);

        var (code, marked) = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Namespace", marked["kind"]!.GetValue<string>());
        Assert.Equal("Terminating", marked["status"]!["phase"]!.GetValue<string>());
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.Equal(["kubernetes"], marked["spec"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        await EventuallyAsync(async () => !await fixture.ExistsAsync($"/api/v1/namespaces/{ns}"), "the namespace goes");
        Assert.Empty((await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps")).Body["items"]!.AsArray());
        Assert.Empty((await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods")).Body["items"]!.AsArray());
        Assert.Empty((await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/replicasets")).Body["items"]!.AsArray());
    }

    [Fact]
    public async Task A_terminating_namespace_waits_for_content_held_by_a_finalizer()
    {
        var ns = await fixture.NamespaceAsync("wait");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"held","finalizers":["example.com/hold"]}}""");

        await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}");
        AssertStatus(HttpStatusCode.Forbidden, "Forbidden", await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"late"}}"""));
        await EventuallyAsync(async () => (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/held")).Body["metadata"]!["deletionTimestamp"] is not null, "the content is being deleted");
        await Task.Delay(300);
        var again = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}");
        Assert.Equal(HttpStatusCode.OK, again.Code);
        Assert.Equal("Terminating", again.Body["status"]!["phase"]!.GetValue<string>());

        await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/held", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
        await EventuallyAsync(async () => !await fixture.ExistsAsync($"/api/v1/namespaces/{ns}"), "the namespace goes once its content is gone");
    }
}
