using System.Net;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tests.Subresources;

/// <summary>Writes through /status and /scale record their field manager with the subresource,
/// as upstream does (PUT, non-apply PATCH and server-side apply).</summary>
public sealed class SubresourceManagedFieldsTests(SharedServer fixture) : IClassFixture<SharedServer>
{
    private const string Apply = "application/apply-patch+yaml";
    private const string Merge = "application/merge-patch+json";

    public static TheoryData<string> Clients() =>
    [
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.27",
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.33",
    ];

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Kubectl_scale_records_a_scale_entry_that_takes_the_replicas_from_the_creator(string kubectl)
    {
        var ns = await fixture.NamespaceAsync();
        var server = fixture.Server;
        Assert.Equal(0, (await server.KubectlAsync(kubectl, SharedServer.Deployment("web"), "create", "-n", ns, "-f", "-")).ExitCode);

        var scaled = await server.KubectlAsync(kubectl, null, "scale", "-n", ns, "deployment/web", "--replicas=3");
        Assert.True(scaled.ExitCode == 0, scaled.StandardError);

        var yaml = await server.KubectlAsync(kubectl, null, "get", "-n", ns, "deployment", "web", "-o", "yaml", "--show-managed-fields");
        Assert.Contains("subresource: scale", yaml.StandardOutput);
        var entries = Entries(await GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web"));
        var scale = entries.Single(e => e["subresource"]?.ToString() == "scale");
        // kubectl's user agent names its binary: kubectl.1.33/v1.33.0 (linux/amd64) ...
        Assert.Equal(Path.GetFileName(kubectl), scale["manager"]!.ToString());
        Assert.Equal("Update", scale["operation"]!.ToString());
        Assert.Equal("apps/v1", scale["apiVersion"]!.ToString());
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", scale["fieldsV1"]!.ToJsonString());
        var creator = entries.Single(e => e["subresource"] is null);
        Assert.Null(creator["fieldsV1"]!["f:spec"]!["f:replicas"]);
        Assert.NotNull(creator["fieldsV1"]!["f:spec"]!["f:template"]);
    }

    [Fact]
    public async Task Status_put_and_patch_record_a_status_entry_owning_only_status_fields()
    {
        var ns = await fixture.NamespaceAsync();
        var created = await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments?fieldManager=creator", SharedServer.Deployment("web"));
        var body = created.Body.DeepClone().AsObject();
        body["status"] = new JsonObject { ["replicas"] = 1 };
        body["spec"]!["replicas"] = 9; // ignored by /status, so never owned through it

        var put = await fixture.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web/status?fieldManager=controller", body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, put.Code);
        var entry = Entries(put.Body).Single(e => e["manager"]!.ToString() == "controller");
        Assert.Equal("status", entry["subresource"]!.ToString());
        Assert.Equal("Update", entry["operation"]!.ToString());
        Assert.Equal("""{"f:status":{"f:replicas":{}}}""", entry["fieldsV1"]!.ToJsonString());

        var patched = await fixture.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/web/status?fieldManager=other",
            """{"status":{"replicas":2,"readyReplicas":1}}""", Merge);
        Assert.Equal(HttpStatusCode.OK, patched.Code);
        var entries = Entries(patched.Body);
        Assert.Equal("""{"f:status":{"f:readyReplicas":{},"f:replicas":{}}}""", entries.Single(e => e["manager"]!.ToString() == "other")["fieldsV1"]!.ToJsonString());
        // The controller's only field changed hands, so its entry is gone; the creator's is untouched.
        Assert.DoesNotContain(entries, e => e["manager"]!.ToString() == "controller");
        Assert.NotNull(entries.Single(e => e["manager"]!.ToString() == "creator")["fieldsV1"]!["f:spec"]!["f:replicas"]);
    }

    [Fact]
    public async Task Apply_to_status_owns_status_fields_conflicts_with_another_status_writer_and_force_takes_them()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", SharedServer.Pod("p"));
        var config = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            status: {phase: Running, message: up}
            """;

        var applied = await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/pods/p/status?fieldManager=agent", config, Apply);
        Assert.True(applied.Code == HttpStatusCode.OK, applied.Body.ToJsonString());
        Assert.Equal("Running", applied.Body["status"]!["phase"]!.ToString());
        var entry = Entries(applied.Body).Single(e => e["manager"]!.ToString() == "agent");
        Assert.Equal("Apply", entry["operation"]!.ToString());
        Assert.Equal("status", entry["subresource"]!.ToString());
        Assert.Equal("""{"f:status":{"f:message":{},"f:phase":{}}}""", entry["fieldsV1"]!.ToJsonString());

        var other = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {phase: Failed}\n";
        var conflict = await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/pods/p/status?fieldManager=intruder", other, Apply);
        var status = SharedServer.AssertStatus(HttpStatusCode.Conflict, "Conflict", conflict);
        Assert.Contains("conflict with \"agent\"", status["message"]!.ToString());
        Assert.Contains(".status.phase", status["message"]!.ToString());

        var forced = await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/pods/p/status?fieldManager=intruder&force=true", other, Apply);
        Assert.Equal(HttpStatusCode.OK, forced.Code);
        Assert.Equal("Failed", forced.Body["status"]!["phase"]!.ToString());
        var agent = Entries(forced.Body).Single(e => e["manager"]!.ToString() == "agent");
        Assert.Equal("""{"f:status":{"f:message":{}}}""", agent["fieldsV1"]!.ToJsonString());

        // The agent stops applying its message: the field goes, because no one else owns it.
        var dropped = await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/pods/p/status?fieldManager=agent",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n", Apply);
        Assert.Equal(HttpStatusCode.OK, dropped.Code);
        Assert.Null(dropped.Body["status"]!["message"]);
    }

    [Fact]
    public async Task Apply_to_scale_conflicts_with_the_owner_of_the_replicas_and_force_moves_them()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments?fieldManager=creator", SharedServer.Deployment("web"));
        const string Config = "apiVersion: autoscaling/v1\nkind: Scale\nmetadata: {name: web}\nspec: {replicas: 4}\n";

        var conflict = await fixture.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale?fieldManager=hpa", Config, Apply);
        var status = SharedServer.AssertStatus(HttpStatusCode.Conflict, "Conflict", conflict);
        Assert.Contains("conflict with \"creator\"", status["message"]!.ToString());
        Assert.Contains(".spec.replicas", status["message"]!.ToString());

        var forced = await fixture.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale?fieldManager=hpa&force=true", Config, Apply);
        Assert.True(forced.Code == HttpStatusCode.OK, forced.Body.ToJsonString());
        Assert.Equal("Scale", forced.Body["kind"]!.ToString());
        Assert.Equal(4, forced.Body["spec"]!["replicas"]!.GetValue<int>());

        var deployment = await GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web");
        Assert.Equal(4, deployment["spec"]!["replicas"]!.GetValue<int>());
        var entries = Entries(deployment);
        var hpa = entries.Single(e => e["manager"]!.ToString() == "hpa");
        Assert.Equal(("Apply", "scale", "apps/v1"), (hpa["operation"]!.ToString(), hpa["subresource"]!.ToString(), hpa["apiVersion"]!.ToString()));
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", hpa["fieldsV1"]!.ToJsonString());
        Assert.Null(entries.Single(e => e["manager"]!.ToString() == "creator")["fieldsV1"]!["f:spec"]!["f:replicas"]);

        // Applying the same again is no conflict: the applier owns the replicas now.
        var again = await fixture.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale?fieldManager=hpa",
            Config.Replace("4", "5"), Apply);
        Assert.Equal(HttpStatusCode.OK, again.Code);
        Assert.Equal(5, (await GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web"))["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bad_subresource_applies_are_a_status_and_change_nothing()
    {
        var ns = await fixture.NamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", SharedServer.Deployment("web"));
        var scale = $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale";

        SharedServer.AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await fixture.SendAsync(HttpMethod.Patch, scale + "?fieldManager=x",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n", Apply));
        SharedServer.AssertStatus((HttpStatusCode)422, "Invalid", await fixture.SendAsync(HttpMethod.Patch, scale,
            "apiVersion: autoscaling/v1\nkind: Scale\nmetadata: {name: web}\nspec: {replicas: 3}\n", Apply));
        SharedServer.AssertStatus((HttpStatusCode)422, "Invalid", await fixture.SendAsync(HttpMethod.Patch, scale + "?fieldManager=x&force=true",
            """{"spec":{"replicas":3}}""", Merge));
        SharedServer.AssertStatus((HttpStatusCode)422, "Invalid", await fixture.SendAsync(HttpMethod.Patch, scale + "?fieldManager=x&force=true",
            "apiVersion: autoscaling/v1\nkind: Scale\nmetadata: {name: web}\nspec: {replicas: -1}\n", Apply));
        SharedServer.AssertStatus(HttpStatusCode.NotFound, "NotFound", await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/pods/none/status?fieldManager=x",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: none}\nstatus: {phase: Running}\n", Apply));
        SharedServer.AssertStatus(HttpStatusCode.NotFound, "NotFound", await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/none"));
        Assert.Equal(1, (await GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web"))["spec"]!["replicas"]!.GetValue<int>());
    }

    private async Task<JsonObject> GetAsync(string path)
    {
        var got = await fixture.SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, got.Code);
        return got.Body;
    }

    private static List<JsonObject> Entries(JsonObject obj) =>
        (obj["metadata"]!["managedFields"] as JsonArray ?? []).OfType<JsonObject>().ToList();
}
