using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>Serializes documents with object keys in ordinal order, so that the same catalog
/// always gives the same bytes and the same hash, whatever order reflection returned.</summary>
internal static class CanonicalJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static SerializedDocument Serialize(JsonNode document) =>
        SerializedDocument.Of(JsonSerializer.SerializeToUtf8Bytes(Sorted(document), Options));

    /// <summary>A deep copy of <paramref name="document"/> with every object's keys in ordinal order.</summary>
    public static JsonObject Sorted(JsonObject document) => (JsonObject)Sorted((JsonNode)document)!;

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
