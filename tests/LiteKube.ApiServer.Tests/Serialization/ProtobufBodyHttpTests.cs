using System.Net;
using LiteKube.ApiServer.Serialization.Protobuf;
using LiteKube.ApiServer.Tests.Infrastructure;
using static LiteKube.ApiServer.Tests.Serialization.BodyRequests;

namespace LiteKube.ApiServer.Tests.Serialization;

/// <summary><c>application/vnd.kubernetes.protobuf</c> bodies over real HTTP: answered in JSON,
/// unknown fields by fieldValidation, malformed bodies as 400 Status.</summary>
public sealed class ProtobufBodyHttpTests : IAsyncLifetime
{
    private const string Protobuf = KubernetesEnvelope.MediaType;
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
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

    /// <summary>The recorded `kubectl create configmap cm1` body with its object bytes changed.</summary>
    private static byte[] ConfigMap(Func<byte[], byte[]> change)
    {
        var (apiVersion, kind, raw) = KubernetesEnvelope.Unwrap(KubectlRecordedBodies.Get("configmap").Protobuf["1.33"]);
        return Envelope(apiVersion, kind, change(raw));
    }

    internal static byte[] Envelope(string apiVersion, string kind, byte[] raw)
    {
        byte[] typeMeta = [0x0a, (byte)apiVersion.Length, .. System.Text.Encoding.ASCII.GetBytes(apiVersion), 0x12, (byte)kind.Length, .. System.Text.Encoding.ASCII.GetBytes(kind)];
        using var body = new MemoryStream();
        body.Write("k8s\0"u8);
        body.Write([0x0a, (byte)typeMeta.Length, .. typeMeta]);
        body.WriteByte(0x12);
        var length = (uint)raw.Length;
        while (length >= 0x80)
        {
            body.WriteByte((byte)(length | 0x80));
            length >>= 7;
        }

        body.WriteByte((byte)length);
        body.Write(raw);
        return body.ToArray();
    }

    [Fact]
    public async Task A_kubectl_protobuf_configmap_is_created_and_answered_in_json()
    {
        var response = await SendAsync(_admin, HttpMethod.Post, ConfigMaps + "?fieldManager=kubectl-create&fieldValidation=Strict",
            KubectlRecordedBodies.Get("configmap").Protobuf["1.32"], Protobuf);

        Assert.True(response.Code == HttpStatusCode.Created, response.Body.ToJsonString());
        Assert.Equal("two", response.Body["data"]!["b"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_field_number_is_refused_when_strict_and_a_warning_otherwise()
    {
        // Field 15 of ConfigMap does not exist.
        var body = ConfigMap(raw => [.. raw, 0x78, 0x01]);

        var strict = await SendAsync(_admin, HttpMethod.Post, ConfigMaps + "?fieldValidation=Strict", body, Protobuf);
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", strict);
        Assert.Contains("field 15 of ConfigMap", strict.Body["message"]!.GetValue<string>());

        var lenient = await SendAsync(_admin, HttpMethod.Post, ConfigMaps, body, Protobuf);
        Assert.True(lenient.Code == HttpStatusCode.Created, lenient.Body.ToJsonString());
        Assert.Contains(lenient.Headers.GetValues("Warning"), w => w.Contains("field 15 of ConfigMap"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("6b387300")]
    [InlineData("6b3873000aff")]
    [InlineData("7b7d")]
    [InlineData("6b3873000a0a0a0276311204466f6f31")]
    public async Task Malformed_or_unknown_protobuf_is_a_400_Status(string hex) =>
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await SendAsync(_admin, HttpMethod.Post, ConfigMaps, Convert.FromHexString(hex), Protobuf));

    [Fact]
    public async Task A_truncated_kubectl_body_is_a_400_Status()
    {
        var body = KubectlRecordedBodies.Get("deployment").Protobuf["1.33"];
        for (var cut = 5; cut < body.Length; cut += 7)
        {
            var response = await SendAsync(_admin, HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", body[..cut], Protobuf);
            AssertStatus(HttpStatusCode.BadRequest, "BadRequest", response);
        }
    }

    [Fact]
    public async Task A_protobuf_body_of_another_kind_is_a_400_Status()
    {
        var response = await SendAsync(_admin, HttpMethod.Post, "/api/v1/namespaces/default/secrets", KubectlRecordedBodies.Get("configmap").Protobuf["1.33"], Protobuf);

        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", response);
        Assert.Contains("ConfigMap", response.Body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_protobuf_update_replaces_the_object()
    {
        var created = await SendAsync(_admin, HttpMethod.Post, "/api/v1/namespaces", KubectlRecordedBodies.Get("namespace").Protobuf["1.33"], Protobuf);
        Assert.True(created.Code == HttpStatusCode.Created, created.Body.ToJsonString());

        var updated = await SendAsync(_admin, HttpMethod.Put, "/api/v1/namespaces/ns1", KubectlRecordedBodies.Get("namespace").Protobuf["1.32"], Protobuf);

        Assert.True(updated.Code == HttpStatusCode.OK, updated.Body.ToJsonString());
        Assert.Equal("ns1", updated.Body["metadata"]!["name"]!.GetValue<string>());
    }
}
