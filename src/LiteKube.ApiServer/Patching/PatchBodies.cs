using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Serialization;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Patching;

public enum PatchType { Json, Merge, StrategicMerge, Apply }

/// <summary>Reads a PATCH body by its content type and applies it. Other content types are
/// refused with 415 naming what is accepted, as upstream does.</summary>
public static class PatchBodies
{
    private const string Accepted = "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml";

    public static async Task<(PatchType Type, JsonNode Patch)> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        var type = mediaType switch
        {
            "application/json-patch+json" => PatchType.Json,
            "application/merge-patch+json" => PatchType.Merge,
            "application/strategic-merge-patch+json" => PatchType.StrategicMerge,
            "application/apply-patch+yaml" => PatchType.Apply,
            _ => throw new ApiException(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: {Accepted} (\"{mediaType}\" is not supported yet)"),
        };
        var body = await RequestBodies.ReadBytesAsync(context, cancellationToken).ConfigureAwait(false);
        if (type == PatchType.Apply)
        {
            return (type, ReadApplyConfiguration(context, body));
        }

        try
        {
            var patch = LiteKube.ApiServer.Serialization.StrictJson.Parse(body) ?? throw ApiException.BadRequest("the patch is empty");
            if (type == PatchType.Json && patch is not JsonArray)
            {
                throw ApiException.BadRequest("a JSON patch must be an array of operations");
            }

            if (type == PatchType.StrategicMerge && patch is not JsonObject)
            {
                throw ApiException.BadRequest("a strategic merge patch must be a JSON object");
            }

            return (type, patch);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the patch is not valid JSON: {e.Message}");
        }
    }

    /// <summary>A server-side apply body: one YAML (or JSON) document holding an object.</summary>
    private static JsonObject ReadApplyConfiguration(HttpContext context, byte[] body)
    {
        JsonNode? node;
        try
        {
            node = YamlJson.Parse(body, out var duplicates);
            if (duplicates.Count > 0 && context.Request.Query["fieldValidation"] == "Strict")
            {
                throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", duplicates.Select(d => $"duplicate field \"{d}\"")));
            }

            // Through JSON text, so that numbers read back as any numeric type (the YAML
            // converter's values are typed .NET values that convert only to their own type).
            node = node is null ? null : JsonNode.Parse(node.ToJsonString());
        }
        catch (YamlJsonException e)
        {
            throw ApiException.BadRequest($"the apply configuration is not valid YAML or JSON: {e.Message}");
        }

        return node as JsonObject ?? throw ApiException.BadRequest("the apply configuration must be an object");
    }

    public static JsonObject Apply(PatchType type, JsonNode patch, JsonObject current, ResourceDefinition resource)
    {
        JsonNode? result;
        try
        {
            result = type switch
            {
                PatchType.Json => JsonPatch.Apply(current, (JsonArray)patch),
                PatchType.StrategicMerge => StrategicMergePatch.Apply(current, (JsonObject)patch, resource.ModelType),
                _ => JsonMergePatch.Apply(current, patch),
            };
        }
        catch (PatchException e) when (e.IsMalformed)
        {
            throw ApiException.BadRequest($"the patch is malformed: {e.Message}");
        }
        catch (PatchException e)
        {
            throw new ApiException((HttpStatusCode)422, "Invalid", $"the patch could not be applied: {e.Message}");
        }

        if (result is not JsonObject obj)
        {
            throw new ApiException((HttpStatusCode)422, "Invalid", "the patch turned the object into something that is not an object");
        }

        obj["apiVersion"] = resource.GroupVersion;
        obj["kind"] = resource.Kind;
        return obj;
    }
}
