using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests.Lifecycle;

/// <summary>One in-process API server per test class, with raw HTTP helpers; each test works in
/// its own namespace.</summary>
public sealed class DeletionServer : IAsyncLifetime
{
    private int _next;

    public InProcessApiServer Server { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InProcessApiServer.StartAsync();
        Admin = Server.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Creates a fresh namespace for one test.</summary>
    public async Task<string> NamespaceAsync(string prefix)
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _next)}";
        var (code, body) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces", $$$"""{"metadata":{"name":"{{{name}}}"}}""");
        Assert.True(code == HttpStatusCode.Created, body.ToJsonString());
        return name;
    }

    public async Task<(HttpStatusCode Code, JsonObject Body)> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await Admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : new JsonObject { ["text"] = text });
    }

    public async Task<JsonObject> CreateAsync(string collectionPath, string json)
    {
        var (code, body) = await SendAsync(HttpMethod.Post, collectionPath, json);
        Assert.True(code == HttpStatusCode.Created, body.ToJsonString());
        return body;
    }

    public async Task<bool> ExistsAsync(string path)
    {
        var (code, body) = await SendAsync(HttpMethod.Get, path);
        Assert.True(code is HttpStatusCode.OK or HttpStatusCode.NotFound, body.ToJsonString());
        return code == HttpStatusCode.OK;
    }

    /// <summary>Waits (up to 10 s) until <paramref name="condition"/> holds; the reconcilers run
    /// in the background.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    public static void AssertStatus(HttpStatusCode expected, string reason, (HttpStatusCode Code, JsonObject Body) response)
    {
        Assert.True(expected == response.Code, response.Body.ToJsonString());
        Assert.Equal("Status", response.Body["kind"]?.GetValue<string>());
        Assert.Equal(reason, response.Body["reason"]?.GetValue<string>());
        Assert.Equal((int)expected, response.Body["code"]?.GetValue<int>());
    }

    public static string Uid(JsonObject obj) => obj["metadata"]!["uid"]!.GetValue<string>();
}
