using System.Globalization;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Serialization;

/// <summary>Numbers for decoded bodies. A <c>JsonValue.Create(long)</c> reads back only as a
/// long (<c>GetValue&lt;int&gt;</c> throws), while a number parsed from JSON text reads as any
/// numeric type it fits. Decoders of YAML and protobuf bodies build their numbers here so that
/// the rest of the server sees the same kind of node a JSON body gives.</summary>
public static class JsonNumbers
{
    public static JsonNode From(long value) => JsonNode.Parse(value.ToString(CultureInfo.InvariantCulture))!;

    public static JsonNode From(ulong value) => JsonNode.Parse(value.ToString(CultureInfo.InvariantCulture))!;

    public static JsonNode From(double value) => JsonNode.Parse(value.ToString("R", CultureInfo.InvariantCulture))!;
}
