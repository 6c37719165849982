using System.Globalization;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables;

/// <summary>Reads dotted paths of a JSON object leniently: a printer must print whatever an
/// object holds, never fail on a missing or odd field.</summary>
public readonly struct JsonObjectReader(JsonObject obj)
{
    public JsonNode? Node(string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node;
    }

    public string String(string path, string fallback = "") =>
        Node(path) is JsonValue v ? v.ToString() : fallback;

    public long Long(string path, long fallback = 0) =>
        Node(path) is JsonValue v && long.TryParse(v.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : fallback;

    public bool Bool(string path) => Node(path) is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public JsonArray Array(string path) => Node(path) as JsonArray ?? [];

    public JsonObject Object(string path) => Node(path) as JsonObject ?? [];

    public DateTimeOffset? Time(string path) =>
        DateTimeOffset.TryParse(String(path), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
