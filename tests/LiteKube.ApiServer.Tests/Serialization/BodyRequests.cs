using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tests.Serialization;

/// <summary>Raw HTTP requests with a body in a chosen media type, and Status checks.</summary>
internal static class BodyRequests
{
    public static async Task<(HttpStatusCode Code, JsonObject Body, HttpResponseHeaders Headers)> SendAsync(
        HttpClient client, HttpMethod method, string path, byte[]? body = null, string? contentType = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonObject json;
        try
        {
            json = JsonNode.Parse(text) as JsonObject ?? new JsonObject { ["text"] = text };
        }
        catch (System.Text.Json.JsonException)
        {
            json = new JsonObject { ["text"] = text };
        }

        return (response.StatusCode, json, response.Headers);
    }

    public static Task<(HttpStatusCode Code, JsonObject Body, HttpResponseHeaders Headers)> SendTextAsync(
        HttpClient client, HttpMethod method, string path, string body, string contentType) =>
        SendAsync(client, method, path, System.Text.Encoding.UTF8.GetBytes(body), contentType);

    public static void AssertStatus(HttpStatusCode expected, string reason, (HttpStatusCode Code, JsonObject Body, HttpResponseHeaders Headers) response)
    {
        Assert.True(expected == response.Code, $"expected {(int)expected}, got {(int)response.Code}: {response.Body.ToJsonString()}");
        Assert.Equal("Status", response.Body["kind"]?.GetValue<string>());
        Assert.Equal("v1", response.Body["apiVersion"]?.GetValue<string>());
        Assert.Equal(reason, response.Body["reason"]?.GetValue<string>());
        Assert.Equal((int)expected, response.Body["code"]?.GetValue<int>());
    }
}
