using System.Net;
using LiteKube.ApiServer.Tests.Infrastructure;
using static LiteKube.ApiServer.Tests.Serialization.BodyRequests;

namespace LiteKube.ApiServer.Tests.Serialization;

/// <summary>Create and update with <c>application/yaml</c> bodies over real HTTP.</summary>
public sealed class YamlBodyTests : IAsyncLifetime
{
    private InProcessApiServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessApiServer.StartAsync();
        _admin = _server.CreateAdminClient();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    private const string Path = "/api/v1/namespaces/default/configmaps";

    [Fact]
    public async Task A_yaml_configmap_is_created_and_updated_with_yaml_types()
    {
        var created = await SendTextAsync(_admin, HttpMethod.Post, Path, """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: from-yaml
              labels: {tier: "1"}
            data:
              quoted: "true"
              anchored: &a shared
              again: *a
            """, "application/yaml");
        Assert.True(created.Code == HttpStatusCode.Created, created.Body.ToJsonString());
        Assert.Equal("shared", created.Body["data"]!["again"]!.GetValue<string>());
        Assert.Equal("true", created.Body["data"]!["quoted"]!.GetValue<string>());

        var rv = created.Body["metadata"]!["resourceVersion"]!.GetValue<string>();
        var updated = await SendTextAsync(_admin, HttpMethod.Put, Path + "/from-yaml", $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: from-yaml, resourceVersion: "{{rv}}"}
            data: {quoted: changed}
            """, "application/yaml; charset=utf-8");
        Assert.True(updated.Code == HttpStatusCode.OK, updated.Body.ToJsonString());
        Assert.Equal("changed", updated.Body["data"]!["quoted"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_yaml_deployment_with_numeric_ports_and_replicas_is_created()
    {
        // Numbers decoded from YAML must read as int where the admission rules want an int
        // (containerPort), not only as long: this was a 500 once.
        var created = await SendTextAsync(_admin, HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: yaml-web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: yaml-web}}
              template:
                metadata: {labels: {app: yaml-web}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    ports: [{containerPort: 80}, {containerPort: 0x1BB}]
            """, "application/yaml");
        Assert.True(created.Code == HttpStatusCode.Created, created.Body.ToJsonString());
        var ports = created.Body["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]!.AsArray();
        Assert.Equal([80, 443], ports.Select(p => p!["containerPort"]!.GetValue<int>()));
        Assert.Equal(2, created.Body["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_yaml_number_where_a_string_belongs_is_a_400_as_upstream()
    {
        // sigs.k8s.io/yaml types 'yes' as a boolean; ConfigMap data wants strings.
        var response = await SendTextAsync(_admin, HttpMethod.Post, Path, "metadata: {name: typed}\ndata: {enabled: yes}\n", "application/yaml");
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", response);
    }

    [Theory]
    [InlineData("metadata: {name: [unclosed\n")]
    [InlineData("metadata: {name: one}\n---\nmetadata: {name: two}\n")]
    [InlineData("- just\n- a list\n")]
    [InlineData("plain words")]
    [InlineData("metadata: {name: x}\ndata: {a: .inf}\n")]
    [InlineData("metadata: &m {name: x, self: *m}\n")]
    [InlineData("? [complex]\n: key\n")]
    public async Task Bad_yaml_is_a_400_Status(string yaml) =>
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await SendTextAsync(_admin, HttpMethod.Post, Path, yaml, "application/yaml"));

    [Fact]
    public async Task A_duplicate_key_is_refused_when_strict_and_a_warning_otherwise()
    {
        const string yaml = "metadata: {name: dup}\ndata:\n  a: one\n  a: two\n";
        var strict = await SendTextAsync(_admin, HttpMethod.Post, Path + "?fieldValidation=Strict", yaml, "application/yaml");
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", strict);
        Assert.Contains("duplicate field \"data.a\"", strict.Body["message"]!.GetValue<string>());

        var lenient = await SendTextAsync(_admin, HttpMethod.Post, Path, yaml, "application/yaml");
        Assert.Equal(HttpStatusCode.Created, lenient.Code);
        Assert.Equal("two", lenient.Body["data"]!["a"]!.GetValue<string>());
        Assert.Contains(lenient.Headers.GetValues("Warning"), w => w.Contains("duplicate field"));
    }

    [Fact]
    public async Task An_unknown_media_type_is_a_415_Status()
    {
        var response = await SendTextAsync(_admin, HttpMethod.Post, Path, "{}", "text/plain");
        AssertStatus(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", response);
        Assert.Contains("application/yaml", response.Body["message"]!.GetValue<string>());
    }
}
