using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace LiteKube.ApiServer.Tests.Patching;

/// <summary>Server-side apply and managed fields through real kubectl and raw HTTP.</summary>
public sealed class ServerSideApplyTests(PatchServerFixture fixture) : IClassFixture<PatchServerFixture>
{
    private static string ConfigMap(string ns, string color, string? size = null) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: {ns}\ndata:\n  color: {color}\n"
        + (size is null ? "" : $"  size: {size}\n");

    [Theory]
    [MemberData(nameof(PatchServerFixture.OldestAndNewestKubectl), MemberType = typeof(PatchServerFixture))]
    public async Task Apply_server_side_creates_reapplies_conflicts_and_force_wins(string kubectl)
    {
        var ns = "ssa-" + PatchServerFixture.Minor(kubectl);
        await fixture.CreateNamespaceAsync(kubectl, ns);
        var server = fixture.Server;

        var created = await server.KubectlAsync(kubectl, ConfigMap(ns, "blue", "L"), "apply", "--server-side", "-f", "-");
        Assert.True(created.ExitCode == 0, created.StandardError);
        Assert.Contains("configmap/settings serverside-applied", created.StandardOutput);

        var again = await server.KubectlAsync(kubectl, ConfigMap(ns, "blue"), "apply", "--server-side", "-f", "-");
        Assert.True(again.ExitCode == 0, again.StandardError);
        var data = await server.KubectlAsync(kubectl, null, "get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data}");
        Assert.Equal("""{"color":"blue"}""", data.StandardOutput);

        var conflict = await server.KubectlAsync(kubectl, ConfigMap(ns, "red"), "apply", "--server-side", "--field-manager=other", "-f", "-");
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("conflict", conflict.StandardError);
        Assert.Contains(".data.color", conflict.StandardError);

        var forced = await server.KubectlAsync(kubectl, ConfigMap(ns, "red"), "apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-");
        Assert.True(forced.ExitCode == 0, forced.StandardError);

        var yaml = await server.KubectlAsync(kubectl, null, "get", "configmap", "settings", "-n", ns, "-o", "json", "--show-managed-fields");
        var managed = JsonNode.Parse(yaml.StandardOutput)!["metadata"]!["managedFields"]!.AsArray();
        Assert.Equal("red", JsonNode.Parse(yaml.StandardOutput)!["data"]!["color"]!.GetValue<string>());
        var other = managed.Single(m => m!["manager"]!.GetValue<string>() == "other")!;
        Assert.Equal("Apply", other["operation"]!.GetValue<string>());
        Assert.Equal("FieldsV1", other["fieldsType"]!.GetValue<string>());
        Assert.NotNull(other["fieldsV1"]!["f:data"]!["f:color"]);
        Assert.DoesNotContain(managed, m => m!["manager"]!.GetValue<string>() == "kubectl" && m["fieldsV1"]!["f:data"]?["f:color"] is not null);
    }

    [Theory]
    [MemberData(nameof(PatchServerFixture.OldestAndNewestKubectl), MemberType = typeof(PatchServerFixture))]
    public async Task A_kubectl_edit_after_an_apply_owns_the_field_and_the_next_apply_conflicts(string kubectl)
    {
        var ns = "ssa-edit-" + PatchServerFixture.Minor(kubectl);
        await fixture.CreateNamespaceAsync(kubectl, ns);
        var server = fixture.Server;
        Assert.Equal(0, (await server.KubectlAsync(kubectl, ConfigMap(ns, "blue"), "apply", "--server-side", "-f", "-")).ExitCode);

        var patched = await server.KubectlAsync(kubectl, null, "patch", "configmap", "settings", "-n", ns, "-p", """{"data":{"color":"green"}}""");
        Assert.True(patched.ExitCode == 0, patched.StandardError);
        var managers = await server.KubectlAsync(kubectl, null, "get", "configmap", "settings", "-n", ns, "--show-managed-fields", "-o",
            "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation};{end}");
        Assert.Contains("kubectl-patch/Update;", managers.StandardOutput);

        var conflict = await server.KubectlAsync(kubectl, ConfigMap(ns, "blue"), "apply", "--server-side", "-f", "-");
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("kubectl-patch", conflict.StandardError);
    }

    [Fact]
    public async Task Create_records_the_creator_as_an_update_manager()
    {
        using var client = fixture.Server.CreateAdminClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("my-tool/1.0");
        var body = new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"by-agent","labels":{"a":"1"}},"data":{"k":"v"}}""");
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await client.PostAsync("/api/v1/namespaces/default/configmaps", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var entry = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["metadata"]!["managedFields"]![0]!;
        Assert.Equal("my-tool", entry["manager"]!.GetValue<string>());
        Assert.Equal("Update", entry["operation"]!.GetValue<string>());
        Assert.Equal("""{"f:data":{".":{},"f:k":{}},"f:metadata":{"f:labels":{".":{},"f:a":{}}}}""", entry["fieldsV1"]!.ToJsonString());
    }

    [Theory]
    [InlineData("?fieldManager=x", "kind: ConfigMap\napiVersion: v1\nmetadata: {name: bad}\ndata: [unclosed", 400)]
    [InlineData("?fieldManager=x", "- just\n- a list\n", 400)]
    [InlineData("?fieldManager=x", "apiVersion: v1\nkind: Secret\nmetadata: {name: bad}\n", 400)]
    [InlineData("?fieldManager=x", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n", 400)]
    [InlineData("", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\n", 422)]
    [InlineData("?fieldManager=x&force=maybe", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\n", 400)]
    [InlineData("?fieldManager=x", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\ndata: {a: 1}\n", 400)]
    public async Task Bad_apply_requests_are_a_status_and_write_nothing(string query, string yaml, int code)
    {
        using var client = fixture.Server.CreateAdminClient();
        var body = new StringContent(yaml);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        var response = await client.PatchAsync("/api/v1/namespaces/default/configmaps/bad" + query, body);
        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal("Status", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["kind"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/namespaces/default/configmaps/bad")).StatusCode);
    }

    [Fact]
    public async Task Force_on_a_non_apply_patch_is_refused()
    {
        using var client = fixture.Server.CreateAdminClient();
        var body = new StringContent("""{"data":{"a":"1"}}""");
        body.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        var response = await client.PatchAsync("/api/v1/namespaces/default/configmaps/none?force=true", body);
        Assert.Equal(422, (int)response.StatusCode);
    }

    [Fact]
    public async Task The_official_csharp_client_applies_server_side_and_sees_the_conflict()
    {
        using var kubernetes = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(fixture.Server.KubeconfigPath));
        await fixture.CreateNamespaceAsync("/usr/lib/google-cloud-sdk/bin/kubectl.1.33", "csharp-ssa");
        var config = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "csharp-ssa" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx", Ports = [new V1ContainerPort { ContainerPort = 80 }] }] },
                },
            },
        };

        var created = await kubernetes.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(config, V1Patch.PatchType.ApplyPatch), "web", "csharp-ssa", fieldManager: "csharp");
        Assert.Equal(2, created.Spec.Replicas);
        var entry = Assert.Single(created.Metadata.ManagedFields);
        Assert.Equal(("csharp", "Apply", "apps/v1"), (entry.Manager, entry.Operation, entry.ApiVersion));

        config.Spec.Replicas = 4;
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            kubernetes.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(config, V1Patch.PatchType.ApplyPatch), "web", "csharp-ssa", fieldManager: "other"));
        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Contains(".spec.replicas", error.Response.Content);

        var forced = await kubernetes.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(config, V1Patch.PatchType.ApplyPatch), "web", "csharp-ssa", fieldManager: "other", force: true);
        Assert.Equal(4, forced.Spec.Replicas);
        Assert.Equal(["csharp", "other"], forced.Metadata.ManagedFields.Select(m => m.Manager).Order());
    }
}
