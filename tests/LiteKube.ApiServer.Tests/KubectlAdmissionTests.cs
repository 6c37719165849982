using System.Net;
using System.Text;
using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests;

/// <summary>Defaulting, validation, field validation and dry-run as kubectl and clients see them.</summary>
public sealed class KubectlAdmissionTests
{
    [Theory]
    [MemberData(nameof(KubectlBasicsTests.Clients), MemberType = typeof(KubectlBasicsTests))]
    public async Task Defaults_are_applied_invalid_objects_are_refused_and_dry_run_stores_nothing(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();
        const string pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n";
        var created = await server.KubectlAsync(kubectl, pod, "create", "--validate=false", "-f", "-");
        Assert.True(created.ExitCode == 0, created.StandardError);
        var defaults = await server.KubectlAsync(kubectl, null, "get", "pod", "p", "-o",
            "jsonpath={.spec.restartPolicy} {.spec.dnsPolicy} {.spec.serviceAccountName} {.spec.containers[0].imagePullPolicy} {.spec.containers[0].terminationMessagePath}");
        Assert.Equal("Always ClusterFirst default Always /dev/termination-log", defaults.StandardOutput);

        const string invalid = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers:\n  - name: c\n";
        var refused = await server.KubectlAsync(kubectl, invalid, "create", "--validate=false", "-f", "-");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("is invalid", refused.StandardError);
        Assert.Contains("metadata.name", refused.StandardError);
        Assert.Contains("spec.containers[0].image: Required value", refused.StandardError);

        const string dry = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\n";
        var dryRun = await server.KubectlAsync(kubectl, dry, "create", "--validate=false", "--dry-run=server", "-f", "-");
        Assert.True(dryRun.ExitCode == 0, dryRun.StandardError);
        Assert.Contains("configmap/dry created (server dry run)", dryRun.StandardOutput);
        var absent = await server.KubectlAsync(kubectl, null, "get", "configmap", "dry");
        Assert.Contains("NotFound", absent.StandardError);
    }

    [Fact]
    public async Task Strict_field_validation_names_unknown_fields_and_warn_accepts_with_a_warning()
    {
        await using var server = await InProcessApiServer.StartAsync();
        using var client = server.CreateAdminClient();
        const string body = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","colour":"red"},"data":{"a":"b"}}""";

        var strict = await client.PostAsync("/api/v1/namespaces/default/configmaps?fieldValidation=Strict", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        var status = System.Text.Json.Nodes.JsonNode.Parse(await strict.Content.ReadAsStringAsync())!;
        Assert.Equal("strict decoding error: unknown field \"metadata.colour\"", status["message"]!.ToString());

        var warn = await client.PostAsync("/api/v1/namespaces/default/configmaps?fieldValidation=Warn", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, warn.StatusCode);
        Assert.Contains("metadata.colour", warn.Headers.GetValues("Warning").Single());
        Assert.DoesNotContain("colour", await warn.Content.ReadAsStringAsync());

        var wrongType = await client.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent("""{"metadata":{"name":"x"},"data":{"a":1}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
    }
}
