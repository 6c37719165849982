using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests.Subresources;

/// <summary>One in-process API server for a whole test class (xunit class fixture); each test
/// works in its own namespace.</summary>
public sealed class SharedServer : IAsyncLifetime
{
    private int _namespaces;

    public InProcessApiServer Server { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InProcessApiServer.StartAsync();
        Admin = Server.CreateAdminClient();
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Creates a fresh namespace and returns its name.</summary>
    public async Task<string> NamespaceAsync()
    {
        var name = $"t{Interlocked.Increment(ref _namespaces)}";
        var created = await SendAsync(HttpMethod.Post, "/api/v1/namespaces", $$"""{"metadata":{"name":"{{name}}"} }""");
        Assert.Equal(HttpStatusCode.Created, created.Code);
        await Server.WaitForServiceAccountAsync(name);
        return name;
    }

    public Task<(HttpStatusCode Code, JsonObject Body)> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json") =>
        SendAsync(Admin, method, path, json, contentType);

    public static async Task<(HttpStatusCode Code, JsonObject Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : new JsonObject { ["text"] = text });
    }

    /// <summary>Asserts a Kubernetes Status with this code and reason.</summary>
    public static JsonObject AssertStatus(HttpStatusCode code, string reason, (HttpStatusCode Code, JsonObject Body) response)
    {
        Assert.True(code == response.Code, $"expected {code}, got {response.Code}: {response.Body.ToJsonString()}");
        Assert.Equal("Status", response.Body["kind"]?.ToString());
        Assert.Equal(reason, response.Body["reason"]?.ToString());
        Assert.Equal((int)code, response.Body["code"]?.GetValue<int>());
        return response.Body;
    }

    public static string Deployment(string name, int replicas = 1) => $$"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"{{name}}","labels":{"team":"a"} },
         "spec":{"replicas":{{replicas}},"selector":{"matchLabels":{"app":"{{name}}"},"matchExpressions":[{"key":"tier","operator":"In","values":["web","api"]}]},
          "template":{"metadata":{"labels":{"app":"{{name}}","tier":"web"} },"spec":{"containers":[{"name":"c","image":"nginx"}]} } } }
        """;

    public static string Pod(string name, string labels = "{}", string containers = """[{"name":"c","image":"nginx"}]""") => $$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{name}}","labels":{{labels}}},"spec":{"containers":{{containers}}} }
        """;
}
