using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>Serializes documents with object keys in ordinal order, so that the same catalog
/// always gives the same bytes and the same hash, whatever order reflection returned.</summary>
internal static class CanonicalJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static SerializedDocument Serialize(JsonNode document)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(Sorted(document), Options);
        return new SerializedDocument(bytes, Convert.ToHexString(SHA512.HashData(bytes)));
    }

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
