using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests;

/// <summary>label, annotate and patch through the real kubectl clients.</summary>
public sealed class KubectlPatchTests
{
    [Theory]
    [MemberData(nameof(KubectlBasicsTests.Clients), MemberType = typeof(KubectlBasicsTests))]
    public async Task Label_annotate_and_merge_and_json_patches_change_the_object(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();
        var created = await server.KubectlAsync(kubectl, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: \"1\"\n", "create", "-f", "-");
        Assert.True(created.ExitCode == 0, created.StandardError);

        Assert.Equal(0, (await server.KubectlAsync(kubectl, null, "label", "configmap", "cm", "tier=web")).ExitCode);
        Assert.Equal(0, (await server.KubectlAsync(kubectl, null, "annotate", "configmap", "cm", "note=hello")).ExitCode);
        var merge = await server.KubectlAsync(kubectl, null, "patch", "configmap", "cm", "--type=merge", "-p", """{"data":{"b":"2","a":null}}""");
        Assert.True(merge.ExitCode == 0, merge.StandardError);
        var json = await server.KubectlAsync(kubectl, null, "patch", "configmap", "cm", "--type=json", "-p", """[{"op":"add","path":"/data/c","value":"3"}]""");
        Assert.True(json.ExitCode == 0, json.StandardError);

        var result = await server.KubectlAsync(kubectl, null, "get", "configmap", "cm", "-o",
            "jsonpath={.metadata.labels.tier} {.metadata.annotations.note} {.data}");
        Assert.Equal("""web hello {"b":"2","c":"3"}""", result.StandardOutput);

        var removed = await server.KubectlAsync(kubectl, null, "label", "configmap", "cm", "tier-");
        Assert.True(removed.ExitCode == 0, removed.StandardError);
        var labels = await server.KubectlAsync(kubectl, null, "get", "configmap", "cm", "-o", "jsonpath={.metadata.labels}");
        Assert.DoesNotContain("tier", labels.StandardOutput);

        var badTest = await server.KubectlAsync(kubectl, null, "patch", "configmap", "cm", "--type=json", "-p", """[{"op":"test","path":"/data/b","value":"9"}]""");
        Assert.NotEqual(0, badTest.ExitCode);
        Assert.Contains("test operation", badTest.StandardError);

        var immutable = await server.KubectlAsync(kubectl, null, "patch", "configmap", "cm", "--type=merge", "-p", """{"metadata":{"uid":"x"}}""");
        Assert.NotEqual(0, immutable.ExitCode);
        Assert.Contains("metadata.uid", immutable.StandardError);
    }

    [Fact]
    public async Task An_unknown_patch_type_is_refused_with_415_naming_the_accepted_types()
    {
        await using var server = await InProcessApiServer.StartAsync();
        using var client = server.CreateAdminClient();
        var content = new StringContent("""{"data":{"a":"1"}}""");
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-unknown-patch+json");
        var response = await client.PatchAsync("/api/v1/namespaces/default/configmaps/none", content);
        Assert.Equal(System.Net.HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("application/merge-patch+json", text);
        Assert.Contains("application/strategic-merge-patch+json", text);
    }
}
