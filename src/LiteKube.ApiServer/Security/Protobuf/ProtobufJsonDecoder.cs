using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Security.Protobuf;

/// <summary>
/// Decodes a protobuf message into the JSON the rest of the server reads, driven by a
/// <see cref="ProtoMessage"/> schema. Fields present with zero values (Kubernetes' proto2
/// encoding writes them) become JSON zero values; unknown fields are skipped.
/// </summary>
public static class ProtobufJsonDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static JsonObject Decode(ReadOnlySpan<byte> data, ProtoMessage schema)
    {
        var json = new JsonObject();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (number, wireType) = reader.ReadTag();
            if (schema.Find(number) is not { } field)
            {
                reader.Skip(wireType);
                continue;
            }

            if (field.Type is ProtoFieldType.StringMap or ProtoFieldType.StringListMap)
            {
                Expect(wireType, ProtoReader.LengthDelimited, schema, field);
                if (json[field.JsonName] is not JsonObject map)
                {
                    map = [];
                    json[field.JsonName] = map;
                }

                var (key, entry) = MapEntry(reader.ReadLengthDelimited(), field.Type == ProtoFieldType.StringListMap);
                map[key] = entry;
                continue;
            }

            var value = ReadValue(ref reader, wireType, field, schema);
            if (!field.Repeated)
            {
                json[field.JsonName] = value;
                continue;
            }

            if (json[field.JsonName] is not JsonArray list)
            {
                list = [];
                json[field.JsonName] = list;
            }

            list.Add(value);
        }

        return json;
    }

    private static JsonNode? ReadValue(ref ProtoReader reader, int wireType, ProtoField field, ProtoMessage owner)
    {
        Expect(wireType, field.Type is ProtoFieldType.Int64 or ProtoFieldType.Int32 or ProtoFieldType.Bool ? ProtoReader.Varint : ProtoReader.LengthDelimited, owner, field);

        return field.Type switch
        {
            ProtoFieldType.String => JsonValue.Create(ReadString(reader.ReadLengthDelimited(), owner, field)),
            ProtoFieldType.Bytes => JsonValue.Create(Convert.ToBase64String(reader.ReadLengthDelimited())),
            ProtoFieldType.Int64 => JsonValue.Create((long)reader.ReadVarint()),
            ProtoFieldType.Int32 => JsonValue.Create((int)(long)reader.ReadVarint()),
            ProtoFieldType.Bool => JsonValue.Create(reader.ReadVarint() != 0),
            ProtoFieldType.Message => Decode(reader.ReadLengthDelimited(), field.Message!),
            ProtoFieldType.Time => Time(reader.ReadLengthDelimited()),
            _ => throw new InvalidOperationException($"unknown field type {field.Type}"),
        };
    }

    private static void Expect(int wireType, int expected, ProtoMessage owner, ProtoField field)
    {
        if (wireType != expected)
        {
            throw new ProtobufFormatException($"{owner.Name}.{field.JsonName}: wire type {wireType}, expected {expected}");
        }
    }

    private static (string Key, JsonNode? Value) MapEntry(ReadOnlySpan<byte> data, bool listValues)
    {
        var entry = Decode(data, listValues ? ListMapEntry : StringMapEntry);
        var key = entry["key"]?.GetValue<string>() ?? "";
        JsonNode? value = listValues
            ? entry["value"]?["items"]?.DeepClone() ?? new JsonArray()
            : entry["value"]?.DeepClone() ?? JsonValue.Create("");
        return (key, value);
    }

    private static JsonNode? Time(ReadOnlySpan<byte> data)
    {
        var time = Decode(data, TimeMessage);
        var seconds = time["seconds"]?.GetValue<long>() ?? 0;
        var nanos = time["nanos"]?.GetValue<int>() ?? 0;
        if (seconds == 0 && nanos == 0)
        {
            return null;
        }

        if (seconds is < -62135596800 or > 253402300799)
        {
            throw new ProtobufFormatException($"time {seconds} is out of range");
        }

        var at = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        return JsonValue.Create(at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    private static string ReadString(ReadOnlySpan<byte> data, ProtoMessage owner, ProtoField field)
    {
        try
        {
            return StrictUtf8.GetString(data);
        }
        catch (DecoderFallbackException)
        {
            throw new ProtobufFormatException($"{owner.Name}.{field.JsonName}: not valid UTF-8");
        }
    }

    private static readonly ProtoMessage TimeMessage = new("Time")
    {
        [1] = new("seconds", ProtoFieldType.Int64),
        [2] = new("nanos", ProtoFieldType.Int32),
    };

    private static readonly ProtoMessage StringMapEntry = new("MapEntry")
    {
        [1] = new("key", ProtoFieldType.String),
        [2] = new("value", ProtoFieldType.String),
    };

    private static readonly ProtoMessage StringList = new("ExtraValue")
    {
        [1] = new("items", ProtoFieldType.String, Repeated: true),
    };

    private static readonly ProtoMessage ListMapEntry = new("MapEntry")
    {
        [1] = new("key", ProtoFieldType.String),
        [2] = new("value", ProtoFieldType.Message, Message: StringList),
    };
}
