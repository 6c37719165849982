using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using k8s;
using LiteKube.ApiServer.OpenApi;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests.OpenApi;

/// <summary>/openapi/v2 and /openapi/v3 over HTTPS, with the caching rules clients rely on.</summary>
public sealed class OpenApiEndpointTests
{
    [Fact]
    public async Task The_v3_root_lists_every_served_group_version_at_a_url_with_the_hash_of_its_document()
    {
        await using var server = await InProcessApiServer.StartAsync();
        using var http = AdminClient(server);

        var root = JsonNode.Parse(await http.GetStringAsync("/openapi/v3"))!["paths"]!.AsObject();
        var expected = ResourceCatalog.BuiltIn().GroupVersions().Select(gv => OpenApiDocuments.GroupVersionPath(gv.Group, gv.Version));
        Assert.Equal(expected.Order(StringComparer.Ordinal), root.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var (path, entry) in root)
        {
            var url = entry!["serverRelativeURL"]!.GetValue<string>();
            Assert.StartsWith($"/openapi/v3/{path}?hash=", url, StringComparison.Ordinal);
            var bytes = await http.GetByteArrayAsync(url);
            Assert.Equal(url[(url.IndexOf("hash=", StringComparison.Ordinal) + 5)..], Convert.ToHexString(SHA512.HashData(bytes)));
            Assert.Equal("3.0.0", JsonNode.Parse(bytes)!["openapi"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_matching_etag_gets_304_the_current_hash_is_immutable_and_a_stale_hash_is_redirected()
    {
        await using var server = await InProcessApiServer.StartAsync();
        using var http = AdminClient(server);

        using var first = await http.GetAsync("/openapi/v3/apis/apps/v1");
        var etag = first.Headers.ETag!;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/openapi/v3/apis/apps/v1");
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);

        using var current = await http.GetAsync($"/openapi/v3/apis/apps/v1?hash={etag.Tag.Trim('"')}");
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Contains("immutable", current.Headers.CacheControl!.ToString());

        // A stale hash is redirected (301) to the current one, which the client follows.
        using var stale = await http.GetAsync("/openapi/v3/apis/apps/v1?hash=0123");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal($"/openapi/v3/apis/apps/v1?hash={etag.Tag.Trim('"')}", stale.RequestMessage!.RequestUri!.PathAndQuery);

        using var missing = await http.GetAsync("/openapi/v3/apis/example.com/v1");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("NotFound", JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAPI_v2_is_served_as_json_and_as_gnostic_protobuf_and_other_media_types_are_refused()
    {
        await using var server = await InProcessApiServer.StartAsync();
        using var http = AdminClient(server);

        using var json = await GetAsync(http, "/openapi/v2", "application/json");
        Assert.Equal("2.0", JsonNode.Parse(await json.Content.ReadAsStringAsync())!["swagger"]!.GetValue<string>());

        using var protobuf = await GetAsync(http, "/openapi/v2", OpenApiHandler.ProtobufV2);
        Assert.Equal(OpenApiHandler.ProtobufV2ContentType, protobuf.Content.Headers.ContentType!.MediaType);
        var bytes = await protobuf.Content.ReadAsByteArrayAsync();
        // Document.swagger (field 1, length-delimited) comes first: 0x0A, 3, "2.0".
        Assert.Equal([0x0A, 0x03, (byte)'2', (byte)'.', (byte)'0'], bytes[..5]);

        using var html = await GetAsync(http, "/openapi/v3", "text/html");
        Assert.Equal(HttpStatusCode.NotAcceptable, html.StatusCode);
        Assert.Equal("NotAcceptable", JsonNode.Parse(await html.Content.ReadAsStringAsync())!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAPI_needs_credentials()
    {
        await using var server = await InProcessApiServer.StartAsync();
        using var anonymous = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
        {
            BaseAddress = new Uri($"https://{server.Address}:6443"),
        };

        using var response = await anonymous.GetAsync("/openapi/v3");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        // client-go's v2 media type has an '@', which .NET's header parser refuses.
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await http.SendAsync(request);
    }

    /// <summary>An HttpClient with the admin client certificate and the cluster CA, from the kubeconfig.</summary>
    private static HttpClient AdminClient(InProcessApiServer server)
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath);
        var kubernetes = new Kubernetes(config);
        var http = kubernetes.HttpClient;
        http.BaseAddress = new Uri(config.Host);
        return http;
    }
}
