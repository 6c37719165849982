using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http;

/// <summary>Writes every error as a Kubernetes <c>Status</c>, the only error shape kubectl reads.</summary>
public static class StatusResponses
{
    public static JsonObject Failure(HttpStatusCode code, string reason, string message, StatusDetails? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = (int)code,
        };
        if (details is not null)
        {
            var d = new JsonObject { ["name"] = details.Name, ["kind"] = details.Kind };
            if (details.Group != "")
            {
                d["group"] = details.Group;
            }

            if (details.Causes.Count > 0)
            {
                d["causes"] = new JsonArray(details.Causes
                    .Select(c => (JsonNode)new JsonObject { ["reason"] = c.Type, ["message"] = $"{c.Type}: {c.Detail}", ["field"] = c.Field })
                    .ToArray());
            }

            status["details"] = d;
        }

        return status;
    }

    public static JsonObject Success(StatusDetails details) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = details.Name, ["group"] = details.Group, ["kind"] = details.Kind },
    };

    public static Task WriteAsync(HttpContext context, ApiException error) =>
        WriteJsonAsync(context, (int)error.Code, Failure(error.Code, error.Reason, error.Message, error.Details));

    /// <summary>Escapes only what JSON requires (as Go's encoder, quotes as \"), not every
    /// non-ASCII or HTML-significant character.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Task WriteJsonAsync(HttpContext context, int statusCode, JsonNode body, string contentType = "application/json") =>
        ResponseBodies.WriteJsonAsync(context, statusCode, body, contentType);
}
