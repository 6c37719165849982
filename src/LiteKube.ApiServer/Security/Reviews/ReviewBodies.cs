using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Security.Protobuf;
using LiteKube.ApiServer.Security.Rbac;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Security.Reviews;

/// <summary>Reading review requests and writing their answers: reviews are created, answered
/// and never stored, so the answer is the request with a status and server metadata.</summary>
internal static class ReviewBodies
{
    /// <summary>Reads a review as JSON or YAML (the shared body reader), or as Kubernetes
    /// protobuf, which kubectl 1.32+ sends for these kinds.</summary>
    public static async Task<JsonObject> ReadAsync(HttpContext context, ResourceDefinition resource, string ns)
    {
        if (context.Request.ContentType?.StartsWith(KubernetesEnvelope.MediaType, StringComparison.OrdinalIgnoreCase) != true)
        {
            return await RequestBodies.ReadObjectAsync(context, resource, ns, context.RequestAborted).ConfigureAwait(false);
        }

        var bytes = await ReadBytesAsync(context).ConfigureAwait(false);
        JsonObject review;
        try
        {
            var (apiVersion, kind, raw) = KubernetesEnvelope.Unwrap(bytes);
            if (apiVersion != resource.GroupVersion || kind != resource.Kind)
            {
                throw ApiException.BadRequest($"the protobuf body holds {apiVersion}, Kind={kind}; expected {resource.GroupVersion}, Kind={resource.Kind}");
            }

            review = ProtobufJsonDecoder.Decode(raw, SecurityProtobufSchemas.For(kind)
                ?? throw ApiException.BadRequest($"protobuf bodies of kind {kind} are not supported; send JSON"));
        }
        catch (ProtobufFormatException e)
        {
            throw ApiException.BadRequest($"the protobuf body of the request is malformed: {e.Message}");
        }

        review["apiVersion"] = resource.GroupVersion;
        review["kind"] = resource.Kind;
        var bodyNamespace = String(review["metadata"], "namespace");
        if (resource.Namespaced && bodyNamespace != "" && bodyNamespace != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        return review;
    }

    private static async Task<byte[]> ReadBytesAsync(HttpContext context)
    {
        if (context.Request.ContentLength > RequestBodies.MaxBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > RequestBodies.MaxBytes)
            {
                throw TooLarge();
            }
        }

        return buffer.ToArray();
    }

    private static ApiException TooLarge() =>
        new((HttpStatusCode)413, "RequestEntityTooLarge", $"the request body is larger than the limit of {RequestBodies.MaxBytes} bytes");

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
