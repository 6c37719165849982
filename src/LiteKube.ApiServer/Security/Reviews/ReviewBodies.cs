using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Security.Rbac;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Security.Reviews;

/// <summary>Reading review requests and writing their answers: reviews are created, answered
/// and never stored, so the answer is the request with a status and server metadata.</summary>
internal static class ReviewBodies
{
    /// <summary>Reads a review in any body format (JSON, YAML, or the Kubernetes protobuf that
    /// kubectl 1.32+ sends for these kinds) through the shared body reader.</summary>
    public static Task<JsonObject> ReadAsync(HttpContext context, ResourceDefinition resource, string ns) =>
        RequestBodies.ReadObjectAsync(context, resource, ns, context.RequestAborted);

    public static Task WriteCreatedAsync(HttpContext context, JsonObject review, JsonObject status)
    {
        var metadata = review["metadata"] as JsonObject ?? [];
        metadata["creationTimestamp"] = null;
        review["metadata"] = metadata;
        review["status"] = status;
        return StatusResponses.WriteJsonAsync(context, (int)HttpStatusCode.Created, review);
    }

    public static JsonObject Spec(JsonObject review) => review["spec"] as JsonObject ?? [];

    public static string String(JsonNode? parent, string property) =>
        parent?[property] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").Where(s => s != "").ToList() : [];

    public static JsonObject UserInfoJson(UserInfo user)
    {
        var json = new JsonObject { ["username"] = user.Name };
        if (user.Uid != "")
        {
            json["uid"] = user.Uid;
        }

        json["groups"] = RbacObjects.Array(user.Groups);
        if (user.Extra.Count > 0)
        {
            json["extra"] = new JsonObject(user.Extra.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)RbacObjects.Array(e.Value))));
        }

        return json;
    }

    public static ApiException Invalid(ResourceDefinition resource, string field, string detail) =>
        ApiException.Invalid(resource, "", [new FieldError(field, "Invalid value", detail)]);
}
