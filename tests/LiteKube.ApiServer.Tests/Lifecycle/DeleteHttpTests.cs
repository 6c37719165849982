using System.Net;
using System.Text.Json.Nodes;
using static LiteKube.ApiServer.Tests.Lifecycle.DeletionServer;

namespace LiteKube.ApiServer.Tests.Lifecycle;

/// <summary>DELETE over HTTP: options, preconditions, finalizers, graceful pod deletion, and the
/// answers upstream gives.</summary>
public sealed class DeleteHttpTests(DeletionServer fixture) : IClassFixture<DeletionServer>
{
    private static string ConfigMap(string name, string extraMetadata = "") =>
        $$$"""{"metadata":{"name":"{{{name}}}"{{{extraMetadata}}}},"data":{"k":"v"}}""";

    private static string Pod(string name, string? node = null, int grace = 30) =>
        $$$"""{"metadata":{"name":"{{{name}}}"},"spec":{{{{(node is null ? "" : $"\"nodeName\":\"{node}\",")}}}"terminationGracePeriodSeconds":{{{grace}}},"containers":[{"name":"c","image":"nginx:1.25"}]}}""";

    [Fact]
    public async Task Deleting_an_object_answers_a_Success_Status_with_its_uid_and_removes_it()
    {
        var ns = await fixture.NamespaceAsync("del");
        var created = await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("a"));

        var (code, body) = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/a", """{"propagationPolicy":"Background"}""");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Status", body["kind"]!.GetValue<string>());
        Assert.Equal("Success", body["status"]!.GetValue<string>());
        Assert.Equal("configmaps", body["details"]!["kind"]!.GetValue<string>());
        Assert.Equal(Uid(created), body["details"]!["uid"]!.GetValue<string>());
        Assert.False(await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/configmaps/a"));
        AssertStatus(HttpStatusCode.NotFound, "NotFound", await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/a"));
    }

    [Fact]
    public async Task Preconditions_that_do_not_match_are_a_409_Conflict_and_delete_nothing()
    {
        var ns = await fixture.NamespaceAsync("pre");
        var created = await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("a"));
        var path = $"/api/v1/namespaces/{ns}/configmaps/a";

        var wrongUid = await fixture.SendAsync(HttpMethod.Delete, path, """{"preconditions":{"uid":"00000000-0000-0000-0000-000000000000"}}""");
        AssertStatus(HttpStatusCode.Conflict, "Conflict", wrongUid);
        Assert.Contains("the UID in the precondition", wrongUid.Body["message"]!.GetValue<string>());
        AssertStatus(HttpStatusCode.Conflict, "Conflict", await fixture.SendAsync(HttpMethod.Delete, path, """{"preconditions":{"resourceVersion":"1"}}"""));
        Assert.True(await fixture.ExistsAsync(path));

        var rv = created["metadata"]!["resourceVersion"]!.GetValue<string>();
        var matching = await fixture.SendAsync(HttpMethod.Delete, path, $$$"""{"preconditions":{"uid":"{{{Uid(created)}}}","resourceVersion":"{{{rv}}}"}}""");
        Assert.Equal(HttpStatusCode.OK, matching.Code);
        Assert.False(await fixture.ExistsAsync(path));
    }

    [Theory]
    [InlineData("?propagationPolicy=Sideways", null, HttpStatusCode.UnprocessableEntity, "Invalid")]
    [InlineData("", """{"propagationPolicy":"Sideways"}""", HttpStatusCode.UnprocessableEntity, "Invalid")]
    [InlineData("", """{"propagationPolicy":"Orphan","orphanDependents":true}""", HttpStatusCode.UnprocessableEntity, "Invalid")]
    [InlineData("?dryRun=Some", null, HttpStatusCode.UnprocessableEntity, "Invalid")]
    [InlineData("?gracePeriodSeconds=soon", null, HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("?orphanDependents=maybe", null, HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("", "{not json", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("", "[1,2]", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("", """{"kind":"Pod","apiVersion":"v1"}""", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("", """{"gracePeriodSeconds":"ten"}""", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("", """{"preconditions":"uid"}""", HttpStatusCode.BadRequest, "BadRequest")]
    [InlineData("", """{"dryRun":"All"}""", HttpStatusCode.BadRequest, "BadRequest")]
    public async Task Bad_delete_options_are_refused_with_a_Status_and_delete_nothing(string query, string? body, HttpStatusCode code, string reason)
    {
        var ns = await fixture.NamespaceAsync("bad");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("a"));

        AssertStatus(code, reason, await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/a{query}", body));
        AssertStatus(code, reason, await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps{query}", body));
        Assert.True(await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/configmaps/a"));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_and_deletes_nothing()
    {
        var ns = await fixture.NamespaceAsync("media");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("a"));

        AssertStatus(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType",
            await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/a", "x", "text/plain"));
        Assert.True(await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/configmaps/a"));
    }

    [Fact]
    public async Task Delete_options_may_come_as_YAML()
    {
        var ns = await fixture.NamespaceAsync("yaml");
        var created = await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("a"));

        AssertStatus(HttpStatusCode.Conflict, "Conflict", await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/a", "preconditions:\n  uid: other\n", "application/yaml"));
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/a", "a: [", "application/yaml"));
        var (code, _) = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/a", $"kind: DeleteOptions\npreconditions:\n  uid: {Uid(created)}\n", "application/yaml");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.False(await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/configmaps/a"));
    }

    [Theory]
    [InlineData("?dryRun=All", null)]
    [InlineData("", """{"dryRun":["All"]}""")]
    public async Task A_dry_run_delete_answers_as_if_deleted_and_keeps_the_object(string query, string? body)
    {
        var ns = await fixture.NamespaceAsync("dry");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("a"));

        var (code, answer) = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/a{query}", body);

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Success", answer["status"]!.GetValue<string>());
        Assert.True(await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/configmaps/a"));
    }

    [Fact]
    public async Task An_object_with_finalizers_is_only_marked_and_goes_when_a_patch_removes_the_last_one()
    {
        var ns = await fixture.NamespaceAsync("fin");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("a", ""","finalizers":["example.com/hold","example.com/other"]"""));
        var path = $"/api/v1/namespaces/{ns}/configmaps/a";

        var (code, marked) = await fixture.SendAsync(HttpMethod.Delete, path);
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("ConfigMap", marked["kind"]!.GetValue<string>());
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.Equal(0, marked["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());

        // Deleting again answers the object again; nothing changes.
        var again = await fixture.SendAsync(HttpMethod.Delete, path);
        Assert.Equal(HttpStatusCode.OK, again.Code);
        Assert.Equal(marked["metadata"]!["deletionTimestamp"]!.GetValue<string>(), again.Body["metadata"]!["deletionTimestamp"]!.GetValue<string>());

        // No new finalizer on an object being deleted.
        var adding = await fixture.SendAsync(HttpMethod.Patch, path, """{"metadata":{"finalizers":["example.com/hold","example.com/other","example.com/new"]}}""", "application/merge-patch+json");
        AssertStatus(HttpStatusCode.UnprocessableEntity, "Invalid", adding);
        Assert.Contains("no new finalizers", adding.Body["message"]!.GetValue<string>());

        var one = await fixture.SendAsync(HttpMethod.Patch, path, """{"metadata":{"finalizers":["example.com/other"]}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, one.Code);
        Assert.True(await fixture.ExistsAsync(path));

        var last = await fixture.SendAsync(HttpMethod.Patch, path, """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, last.Code);
        Assert.False(await fixture.ExistsAsync(path));
    }

    [Fact]
    public async Task An_update_that_empties_the_finalizers_of_an_object_being_deleted_removes_it()
    {
        var ns = await fixture.NamespaceAsync("finput");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("a", ""","finalizers":["example.com/hold"]"""));
        var path = $"/api/v1/namespaces/{ns}/configmaps/a";
        var (_, marked) = await fixture.SendAsync(HttpMethod.Delete, path);

        marked["metadata"]!.AsObject().Remove("finalizers");
        var (code, body) = await fixture.SendAsync(HttpMethod.Put, path, marked.ToJsonString());

        Assert.True(code == HttpStatusCode.OK, body.ToJsonString());
        Assert.False(await fixture.ExistsAsync(path));
    }

    [Fact]
    public async Task Clients_cannot_set_the_deletion_fields()
    {
        var ns = await fixture.NamespaceAsync("fields");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("a", ""","deletionTimestamp":"2020-01-01T00:00:00Z","deletionGracePeriodSeconds":5"""));
        var path = $"/api/v1/namespaces/{ns}/configmaps/a";
        var (_, stored) = await fixture.SendAsync(HttpMethod.Get, path);
        Assert.Null(stored["metadata"]!["deletionTimestamp"]);
        Assert.Null(stored["metadata"]!["deletionGracePeriodSeconds"]);

        var patched = await fixture.SendAsync(HttpMethod.Patch, path, """{"metadata":{"deletionTimestamp":"2020-01-01T00:00:00Z"}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched.Code);
        Assert.Null(patched.Body["metadata"]!["deletionTimestamp"]);

        var grace = await fixture.SendAsync(HttpMethod.Patch, path, """{"metadata":{"deletionGracePeriodSeconds":7}}""", "application/merge-patch+json");
        AssertStatus(HttpStatusCode.UnprocessableEntity, "Invalid", grace);
        Assert.True(await fixture.ExistsAsync(path));
    }

    [Fact]
    public async Task A_pending_delete_with_orphanDependents_false_answers_202()
    {
        var ns = await fixture.NamespaceAsync("accepted");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("a", ""","finalizers":["example.com/hold"]"""));

        var (code, body) = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/a", """{"orphanDependents":false}""");

        Assert.Equal(HttpStatusCode.Accepted, code);
        Assert.Equal("ConfigMap", body["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bound_pod_is_deleted_gracefully_and_a_later_delete_may_only_shorten_the_grace()
    {
        var ns = await fixture.NamespaceAsync("grace");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/pods", Pod("p", node: "n1", grace: 30));
        var path = $"/api/v1/namespaces/{ns}/pods/p";
        var before = DateTimeOffset.UtcNow;

        var (code, pod) = await fixture.SendAsync(HttpMethod.Delete, path, """{"propagationPolicy":"Background"}""");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Pod", pod["kind"]!.GetValue<string>());
        Assert.Equal(30, pod["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());
        var at = DateTimeOffset.Parse(pod["metadata"]!["deletionTimestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(at, before.AddSeconds(29), before.AddSeconds(32));
        Assert.True(await fixture.ExistsAsync(path));

        var longer = await fixture.SendAsync(HttpMethod.Delete, path, """{"gracePeriodSeconds":60}""");
        Assert.Equal(30, longer.Body["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());

        var shorter = await fixture.SendAsync(HttpMethod.Delete, path + "?gracePeriodSeconds=10");
        Assert.Equal(10, shorter.Body["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());
        var shortened = DateTimeOffset.Parse(shorter.Body["metadata"]!["deletionTimestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(at.AddSeconds(-20), shortened);
        Assert.True(await fixture.ExistsAsync(path));

        var now = await fixture.SendAsync(HttpMethod.Delete, path, """{"gracePeriodSeconds":0}""");
        Assert.Equal(HttpStatusCode.OK, now.Code);
        Assert.Equal("Pod", now.Body["kind"]!.GetValue<string>());
        Assert.False(await fixture.ExistsAsync(path));
    }

    [Fact]
    public async Task A_pod_not_bound_to_a_node_is_removed_at_once_and_the_answer_is_the_pod()
    {
        var ns = await fixture.NamespaceAsync("unbound");
        await fixture.CreateAsync($"/api/v1/namespaces/{ns}/pods", Pod("p"));

        var (code, pod) = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/pods/p");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Pod", pod["kind"]!.GetValue<string>());
        Assert.False(await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/pods/p"));
    }

    [Fact]
    public async Task Deletecollection_deletes_what_the_selectors_match_and_answers_their_list()
    {
        var ns = await fixture.NamespaceAsync("coll");
        var other = await fixture.NamespaceAsync("coll");
        foreach (var (space, name, app) in new[] { (ns, "a1", "a"), (ns, "a2", "a"), (ns, "b1", "b"), (other, "a3", "a") })
        {
            await fixture.CreateAsync($"/api/v1/namespaces/{space}/configmaps", ConfigMap(name, $$""","labels":{"app":"{{app}}"}"""));
        }

        var (code, list) = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps?labelSelector=app%3Da");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("ConfigMapList", list["kind"]!.GetValue<string>());
        Assert.Equal(["a1", "a2"], list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Order());
        Assert.False(await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/configmaps/a1"));
        Assert.True(await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/configmaps/b1"));
        Assert.True(await fixture.ExistsAsync($"/api/v1/namespaces/{other}/configmaps/a3"));

        // Cluster-wide, with a field selector.
        var wide = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/configmaps?fieldSelector=metadata.namespace%3D{other}");
        Assert.Equal(HttpStatusCode.OK, wide.Code);
        // The namespace's kube-root-ca.crt goes too when its publisher has written it already.
        Assert.Equal(["a3"], wide.Body["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Where(n => n != "kube-root-ca.crt"));
        Assert.False(await fixture.ExistsAsync($"/api/v1/namespaces/{other}/configmaps/a3"));
        Assert.True(await fixture.ExistsAsync($"/api/v1/namespaces/{ns}/configmaps/b1"));

        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps?labelSelector=app%20in%20(("));
        AssertStatus(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", await fixture.SendAsync(HttpMethod.Delete, "/api/v1/namespaces"));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    [InlineData("kube-node-lease")]
    public async Task The_system_namespaces_cannot_be_deleted(string name)
    {
        var refused = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{name}");

        AssertStatus(HttpStatusCode.Forbidden, "Forbidden", refused);
        Assert.Contains("this namespace may not be deleted", refused.Body["message"]!.GetValue<string>());
        var (_, ns) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{name}");
        Assert.Null(ns["metadata"]!["deletionTimestamp"]);
    }
}
