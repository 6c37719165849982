using System.Text.Json;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Serialization;
using LiteKube.ApiServer.Serialization.Protobuf;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http;

/// <summary>Reads and checks request bodies: size, syntax, apiVersion/kind and namespace.</summary>
public static class RequestBodies
{
    /// <summary>Upstream's limit for a request body.</summary>
    public const long MaxBytes = 3 * 1024 * 1024;

    public const string Accepted = "application/json, application/yaml, application/vnd.kubernetes.protobuf";

    /// <summary>Reads a create or update body in any format kubectl sends (JSON, YAML,
    /// Kubernetes protobuf) as the JSON object the rest of the server works on.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpContext context, ResourceDefinition resource, string urlNamespace, CancellationToken cancellationToken)
    {
        BodyFormat(context.Request.ContentType);
        var bytes = await ReadBytesAsync(context, cancellationToken).ConfigureAwait(false);
        var node = Decode(context, bytes);

        if (node is not JsonObject obj)
        {
            throw ApiException.BadRequest("the body of the request must be a JSON object");
        }

        CheckTypeMeta(obj, resource);
        CheckNamespace(obj, resource, urlNamespace);
        return obj;
    }

    /// <summary>Decodes a body by the request's Content-Type (JSON, YAML or Kubernetes protobuf)
    /// into JSON; 415 for other media types, 400 Status for malformed bodies.</summary>
    public static JsonNode? Decode(HttpContext context, byte[] bytes) => BodyFormat(context.Request.ContentType) switch
    {
        BodyFormats.Yaml => ParseYaml(context, bytes),
        BodyFormats.Protobuf => ParseProtobuf(context, bytes),
        _ => ParseJson(bytes),
    };

    private enum BodyFormats { Json, Yaml, Protobuf }

    /// <summary>The body's format by its media type; no Content-Type means JSON, as upstream
    /// takes its first serializer, and anything else is a 415 naming what is accepted.</summary>
    private static BodyFormats BodyFormat(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        return mediaType switch
        {
            "" or "application/json" => BodyFormats.Json,
            "application/yaml" => BodyFormats.Yaml,
            KubernetesEnvelope.MediaType => BodyFormats.Protobuf,
            _ => throw new ApiException(System.Net.HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: {Accepted}"),
        };
    }

    private static JsonNode? ParseJson(byte[] bytes)
    {
        try
        {
            return StrictJson.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the body of the request is not valid JSON: {e.Message}");
        }
    }

    /// <summary>YAML as upstream reads it; a key set twice keeps the later value, and is an
    /// error under fieldValidation=Strict and a warning otherwise, like unknown fields.</summary>
    private static JsonNode? ParseYaml(HttpContext context, byte[] bytes)
    {
        JsonNode? node;
        IReadOnlyList<string> duplicates;
        try
        {
            node = YamlJson.Parse(bytes, out duplicates);
        }
        catch (YamlJsonException e)
        {
            throw ApiException.BadRequest($"the body of the request is not valid YAML: {e.Message}");
        }

        ReportDecodingProblems(context, duplicates.Select(d => $"duplicate field \"{d}\"").ToList());
        return node;
    }

    /// <summary>Kubernetes protobuf (kubectl 1.32+ typed clients), decoded to the JSON the
    /// JSON body would be; field numbers the schema does not know are treated like unknown
    /// JSON fields.</summary>
    private static JsonObject ParseProtobuf(HttpContext context, byte[] bytes)
    {
        DecodedObject decoded;
        try
        {
            decoded = KubernetesProtobuf.Decode(bytes);
        }
        catch (ProtobufFormatException e)
        {
            throw ApiException.BadRequest($"the protobuf body of the request is malformed: {e.Message}");
        }

        ReportDecodingProblems(context, decoded.UnknownFields.Select(f => $"unknown {f}").ToList());
        return decoded.Object;
    }

    /// <summary>Problems the decoder tolerates: refused under fieldValidation=Strict, a warning
    /// under Warn (the default), silent under Ignore.</summary>
    private static void ReportDecodingProblems(HttpContext context, IReadOnlyList<string> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        var fieldValidation = context.Request.Query["fieldValidation"].ToString();
        if (fieldValidation == "Strict")
        {
            throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", problems));
        }

        if (fieldValidation != "Ignore")
        {
            foreach (var problem in problems)
            {
                WarningHeaders.Add(context.Response, problem);
            }
        }
    }

    /// <summary>The raw body, refused with 413 past <see cref="MaxBytes"/>.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                throw TooLarge();
            }
        }

        return buffer.ToArray();
    }

    private static void CheckTypeMeta(JsonObject obj, ResourceDefinition resource)
    {
        var apiVersion = String(obj, "apiVersion");
        var kind = String(obj, "kind");
        if (apiVersion is not null && apiVersion != resource.GroupVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({resource.GroupVersion})");
        }

        if (kind is not null && kind != resource.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({resource.Kind})");
        }

        obj["apiVersion"] = resource.GroupVersion;
        obj["kind"] = resource.Kind;
    }

    private static void CheckNamespace(JsonObject obj, ResourceDefinition resource, string urlNamespace)
    {
        if (!resource.Namespaced || obj["metadata"] is not JsonObject metadata)
        {
            return;
        }

        var bodyNamespace = metadata["namespace"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != urlNamespace)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    public static string? String(JsonObject obj, string property) =>
        obj[property] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    /// <summary>PUT bodies (and subresource bodies) name the object on the URL; anything else,
    /// a missing or non-string name included, is a 400.</summary>
    public static void RequireNameMatches(JsonObject body, string name)
    {
        var bodyName = String(Registry.ObjectStore.Metadata(body), "name");
        if (bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
    }

    private static ApiException TooLarge() =>
        new((System.Net.HttpStatusCode)413, "RequestEntityTooLarge", $"the request body is larger than the limit of {MaxBytes} bytes");
}
