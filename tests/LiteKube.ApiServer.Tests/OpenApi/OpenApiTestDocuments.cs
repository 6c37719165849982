using System.Text.Json.Nodes;
using LiteKube.ApiServer.OpenApi;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Tests.OpenApi;

/// <summary>The served documents of the built-in catalog, generated once for all unit tests.</summary>
internal static class OpenApiTestDocuments
{
    public static OpenApiDocuments Documents { get; } = new(ResourceCatalog.BuiltIn());

    public static JsonObject V3(string groupVersionPath) =>
        JsonNode.Parse(Documents.V3(groupVersionPath)!.Content)!.AsObject();

    public static JsonObject V2() => JsonNode.Parse(Documents.V2.Content)!.AsObject();

    public static JsonObject Schema(JsonObject document, string name) =>
        document["components"]!["schemas"]![name]!.AsObject();

    /// <summary>The $ref of a property, looking through the allOf that carries its siblings.</summary>
    public static string? RefOf(JsonNode? schema) =>
        schema?["$ref"]?.GetValue<string>() ?? schema?["allOf"]?[0]?["$ref"]?.GetValue<string>();
}
