using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Serialization.Protobuf;

/// <summary>
/// Decodes a Kubernetes protobuf message into the JSON its JSON encoding would be, driven by
/// the schema table: JSON names, int64 as numbers, Quantity/IntOrString/Time in their string
/// forms, maps (repeated key/value entries) as objects, embedded structs inlined. A field the
/// body carries stays, zero or not (a Go pointer set to zero means something), except Go value
/// fields tagged omitempty, whose zero Go's JSON leaves out. Field numbers the table does not
/// know are skipped and reported, so strict field validation can refuse them.
/// Every read is bounds-checked: malformed input is a <see cref="ProtobufFormatException"/>.
/// </summary>
public sealed class ProtobufJsonDecoder
{
    /// <summary>Nesting limit for messages (the schema is not recursive in practice; this bounds
    /// a hostile body all the same).</summary>
    public const int MaxDepth = 64;

    private readonly List<string> _unknownFields = [];

    private ProtobufJsonDecoder()
    {
    }

    /// <summary>Decodes one message of <paramref name="schema"/>; <paramref name="unknownFields"/>
    /// lists unknown field numbers as "path: field N of Message".</summary>
    public static JsonNode? Decode(ReadOnlySpan<byte> data, ProtoMessageSchema schema, out IReadOnlyList<string> unknownFields)
    {
        var decoder = new ProtobufJsonDecoder();
        var result = decoder.Message(data, schema, "", 0);
        unknownFields = decoder._unknownFields;
        return result;
    }

    private JsonNode? Message(ReadOnlySpan<byte> data, ProtoMessageSchema schema, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ProtobufFormatException($"messages nest deeper than {MaxDepth} levels");
        }

        return schema.Render == ProtoRender.Object ? Object(data, schema, path, depth) : ProtoSpecialTypes.Render(data, schema.Render);
    }

    private JsonObject Object(ReadOnlySpan<byte> data, ProtoMessageSchema schema, string path, int depth)
    {
        var json = new JsonObject();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (number, wireType) = reader.ReadTag();
            if (schema.Find(number) is not { } field)
            {
                _unknownFields.Add($"{(path == "" ? "" : path + ": ")}field {number} of {Short(schema.Name)}");
                reader.Skip(wireType);
                continue;
            }

            var fieldPath = path == "" ? field.JsonName : $"{path}.{field.JsonName}";
            if (field.Type == ProtoType.Map)
            {
                Expect(wireType, ProtoReader.LengthDelimited, schema, field);
                if (json[field.JsonName] is not JsonObject map)
                {
                    map = [];
                    json[field.JsonName] = map;
                }

                var (key, value) = MapEntry(reader.ReadLengthDelimited(), field, fieldPath, depth);
                map.Remove(key);
                map[key] = value;
            }
            else if (field.Repeated)
            {
                if (json[field.JsonName] is not JsonArray list)
                {
                    list = [];
                    json[field.JsonName] = list;
                }

                if (wireType == ProtoReader.LengthDelimited && IsPackable(field.Type))
                {
                    var packed = new ProtoReader(reader.ReadLengthDelimited());
                    while (!packed.End)
                    {
                        list.Add(Scalar(ref packed, field.Type));
                    }
                }
                else
                {
                    list.Add(Value(ref reader, wireType, field, schema, fieldPath, depth));
                }
            }
            else if (field.Inline)
            {
                Expect(wireType, ProtoReader.LengthDelimited, schema, field);
                if (Message(reader.ReadLengthDelimited(), field.Message!, path, depth + 1) is JsonObject inner)
                {
                    foreach (var (name, value) in inner.ToList())
                    {
                        inner.Remove(name);
                        json.Remove(name);
                        json[name] = value;
                    }
                }
            }
            else
            {
                var value = Value(ref reader, wireType, field, schema, fieldPath, depth);
                json.Remove(field.JsonName);
                if (!(field.OmitZero && IsZero(value)))
                {
                    json[field.JsonName] = value;
                }
            }
        }

        return json;
    }

    private JsonNode? Value(ref ProtoReader reader, int wireType, ProtoFieldSchema field, ProtoMessageSchema owner, string path, int depth)
    {
        Expect(wireType, WireTypeOf(field.Type), owner, field);
        return field.Type == ProtoType.Message
            ? Message(reader.ReadLengthDelimited(), field.Message!, path, depth + 1)
            : Scalar(ref reader, field.Type);
    }

    private (string Key, JsonNode? Value) MapEntry(ReadOnlySpan<byte> data, ProtoFieldSchema field, string path, int depth)
    {
        var key = "";
        JsonNode? value = null;
        var seenValue = false;
        var valueType = field.MapValue ?? ProtoType.Message;
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (number, wireType) = reader.ReadTag();
            if (number == 1 && wireType == ProtoReader.LengthDelimited)
            {
                key = KubernetesEnvelope.Text(reader.ReadLengthDelimited());
            }
            else if (number == 2)
            {
                if (wireType != WireTypeOf(valueType))
                {
                    throw new ProtobufFormatException($"{path}: map value has wire type {wireType}, expected {WireTypeOf(valueType)}");
                }

                value = valueType == ProtoType.Message
                    ? Message(reader.ReadLengthDelimited(), field.Message!, $"{path}[{key}]", depth + 1)
                    : Scalar(ref reader, valueType);
                seenValue = true;
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        if (!seenValue)
        {
            // An entry without a value holds the zero value.
            value = valueType == ProtoType.Message ? Message([], field.Message!, path, depth + 1) : Zero(valueType);
        }

        return (key, value);
    }

    private static JsonNode? Scalar(ref ProtoReader reader, ProtoType type) => type switch
    {
        ProtoType.String => JsonValue.Create(KubernetesEnvelope.Text(reader.ReadLengthDelimited())),
        ProtoType.Bytes => JsonValue.Create(Convert.ToBase64String(reader.ReadLengthDelimited())),
        ProtoType.Bool => JsonValue.Create(reader.ReadVarint() != 0),
        // Go truncates a varint to the field's width the same way.
        ProtoType.Int32 => JsonNumbers.From((int)reader.ReadVarint()),
        ProtoType.Int64 => JsonNumbers.From((long)reader.ReadVarint()),
        ProtoType.UInt32 => JsonNumbers.From((uint)reader.ReadVarint()),
        ProtoType.UInt64 => JsonNumbers.From(reader.ReadVarint()),
        ProtoType.Double => Finite(BitConverter.UInt64BitsToDouble(reader.ReadFixed64())),
        ProtoType.Float => Finite(BitConverter.UInt32BitsToSingle(reader.ReadFixed32())),
        _ => throw new InvalidOperationException($"{type} is not a scalar"),
    };

    private static JsonNode Finite(double value) =>
        double.IsFinite(value) ? JsonNumbers.From(value) : throw new ProtobufFormatException("a floating-point field is infinite or NaN, which JSON cannot hold");

    private static JsonNode Zero(ProtoType type) => type switch
    {
        ProtoType.String or ProtoType.Bytes => JsonValue.Create(""),
        ProtoType.Bool => JsonValue.Create(false),
        _ => JsonNumbers.From(0),
    };

    private static bool IsZero(JsonNode? value) => value is JsonValue v && (
        (v.TryGetValue<string>(out var s) && s == "")
        || (v.TryGetValue<bool>(out var b) && !b)
        || (v.TryGetValue<int>(out var i) && i == 0)
        || (v.TryGetValue<long>(out var l) && l == 0)
        || (v.TryGetValue<uint>(out var ui) && ui == 0)
        || (v.TryGetValue<ulong>(out var ul) && ul == 0)
        || (v.TryGetValue<double>(out var d) && d == 0));

    private static bool IsPackable(ProtoType type) => type is not (ProtoType.String or ProtoType.Bytes or ProtoType.Message or ProtoType.Map);

    private static int WireTypeOf(ProtoType type) => type switch
    {
        ProtoType.Bool or ProtoType.Int32 or ProtoType.Int64 or ProtoType.UInt32 or ProtoType.UInt64 => ProtoReader.Varint,
        ProtoType.Double => ProtoReader.Fixed64,
        ProtoType.Float => ProtoReader.Fixed32,
        _ => ProtoReader.LengthDelimited,
    };

    private static void Expect(int wireType, int expected, ProtoMessageSchema owner, ProtoFieldSchema field)
    {
        if (wireType != expected)
        {
            throw new ProtobufFormatException($"{Short(owner.Name)}.{field.JsonName} (field {field.Number}): wire type {wireType}, expected {expected}");
        }
    }

    private static string Short(string fullName) => fullName[(fullName.LastIndexOf('.') + 1)..];
}
