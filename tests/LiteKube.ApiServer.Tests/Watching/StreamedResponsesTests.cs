using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiteKube.ApiServer.Tests.Watching;

/// <summary>Lists are written item by item and watch events from the cache's shared JSON: what
/// a client reads is still one well-formed document per list and one event per line.</summary>
public sealed class StreamedResponsesTests : IAsyncLifetime
{
    private const int Count = 300;
    private InProcessApiServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessApiServer.StartAsync();
        _admin = _server.CreateAdminClient();
        var objects = _server.Services.GetRequiredService<ObjectStore>();
        var configMaps = _server.Services.GetRequiredService<ResourceCatalog>().Find("", "v1", "configmaps")!;
        // 300 objects of ~1 KiB: a list body well past several flush thresholds.
        for (var i = 0; i < Count; i++)
        {
            var obj = new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = $"cm{i:D3}" },
                ["data"] = new JsonObject { ["k"] = new string((char)('a' + i % 26), 1_000) },
            };
            await objects.CreateAsync(configMaps, "default", obj, CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_list_larger_than_the_flush_threshold_arrives_as_one_complete_document()
    {
        using var response = await _admin.GetAsync("/api/v1/namespaces/default/configmaps");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length > 4 * Http.ResponseBodies.FlushThreshold, $"{body.Length} bytes");

        var list = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(["kind", "apiVersion", "metadata", "items"], list.Select(p => p.Key));
        Assert.Equal("ConfigMapList", list["kind"]!.GetValue<string>());
        Assert.NotNull(list["metadata"]!["resourceVersion"]);
        var items = list["items"]!.AsArray().Select(i => i!.AsObject()).Where(i => i["metadata"]!["name"]!.GetValue<string>().StartsWith("cm", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"cm{i:D3}"), items.Select(i => i["metadata"]!["name"]!.GetValue<string>()));
        Assert.All(items, i => Assert.Equal(("v1", "ConfigMap"), (i["apiVersion"]!.GetValue<string>(), i["kind"]!.GetValue<string>())));
        Assert.All(items, i => Assert.Equal(1_000, i["data"]!["k"]!.GetValue<string>().Length));
    }

    [Fact]
    public async Task An_unpaged_list_still_applies_its_selectors()
    {
        var one = JsonNode.Parse(await _admin.GetStringAsync("/api/v1/configmaps?fieldSelector=metadata.name%3Dcm005"))!.AsObject();
        Assert.Equal(["cm005"], one["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        var none = JsonNode.Parse(await _admin.GetStringAsync("/api/v1/namespaces/default/configmaps?labelSelector=app%3Dnone"))!.AsObject();
        Assert.Empty(none["items"]!.AsArray());
    }

    [Fact]
    public async Task A_paged_list_keeps_its_continue_token_and_an_empty_list_has_empty_items()
    {
        var page = JsonNode.Parse(await _admin.GetStringAsync("/api/v1/namespaces/default/configmaps?limit=100"))!.AsObject();
        Assert.Equal(100, page["items"]!.AsArray().Count);
        Assert.False(string.IsNullOrEmpty(page["metadata"]!["continue"]?.GetValue<string>()));

        var empty = JsonNode.Parse(await _admin.GetStringAsync("/api/v1/namespaces/nothing-here/configmaps"))!.AsObject();
        Assert.Empty(empty["items"]!.AsArray());
    }

    [Fact]
    public async Task A_watch_from_a_resource_version_streams_each_cached_change_as_one_json_line()
    {
        var start = JsonNode.Parse(await _admin.GetStringAsync("/api/v1/namespaces/default/configmaps?limit=1"))!["metadata"]!["resourceVersion"]!.GetValue<string>();
        // Its own object: the other tests of this class count the cm* ones.
        using var create = new StringContent("""{"metadata":{"name":"w1"},"data":{"k":"v"}}""", System.Text.Encoding.UTF8, "application/json");
        (await _admin.PostAsync("/api/v1/namespaces/default/configmaps", create)).EnsureSuccessStatusCode();
        using var patch = new StringContent("""{"data":{"k":"patched"}}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
        (await _admin.PatchAsync("/api/v1/namespaces/default/configmaps/w1", patch)).EnsureSuccessStatusCode();
        (await _admin.DeleteAsync("/api/v1/namespaces/default/configmaps/w1")).EnsureSuccessStatusCode();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await _admin.GetAsync($"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={start}", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var added = JsonNode.Parse((await reader.ReadLineAsync(timeout.Token))!)!.AsObject();
        var modified = JsonNode.Parse((await reader.ReadLineAsync(timeout.Token))!)!.AsObject();
        var deleted = JsonNode.Parse((await reader.ReadLineAsync(timeout.Token))!)!.AsObject();

        Assert.Equal(["type", "object"], modified.Select(p => p.Key));
        Assert.Equal(("ADDED", "w1"), (added["type"]!.GetValue<string>(), added["object"]!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(("MODIFIED", "w1", "patched"), (modified["type"]!.GetValue<string>(), modified["object"]!["metadata"]!["name"]!.GetValue<string>(), modified["object"]!["data"]!["k"]!.GetValue<string>()));
        Assert.Equal(("ConfigMap", "v1"), (modified["object"]!["kind"]!.GetValue<string>(), modified["object"]!["apiVersion"]!.GetValue<string>()));
        Assert.Equal(("DELETED", "w1"), (deleted["type"]!.GetValue<string>(), deleted["object"]!["metadata"]!["name"]!.GetValue<string>()));
        Assert.True(long.Parse(deleted["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>()) > long.Parse(modified["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>()));
    }
}
