using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Serialization.Protobuf;

/// <summary>
/// The Kubernetes messages whose JSON is not an object, rendered as upstream's JSON
/// marshalling writes them: Quantity as its string, IntOrString as a number or string, Time as
/// RFC 3339 seconds (protobuf nanos are dropped, as upstream's Time.Unmarshal does), MicroTime
/// with microseconds, Duration as Go's duration string, RawExtension and FieldsV1 as the JSON
/// they carry, and the ExtraValue-style string-list wrappers as arrays.
/// </summary>
internal static class ProtoSpecialTypes
{
    private const long MinSeconds = -62135596800; // 0001-01-01T00:00:00Z
    private const long MaxSeconds = 253402300799; // 9999-12-31T23:59:59Z

    public static JsonNode? Render(ReadOnlySpan<byte> data, ProtoRender render) => render switch
    {
        ProtoRender.Quantity => JsonValue.Create(Quantity(data)),
        ProtoRender.IntOrString => IntOrString(data),
        ProtoRender.Time => Time(data, micro: false),
        ProtoRender.MicroTime => Time(data, micro: true),
        ProtoRender.Duration => JsonValue.Create(GoDuration(Varint(data, 1))),
        ProtoRender.RawJson => RawJson(data),
        ProtoRender.StringList => StringList(data),
        _ => throw new InvalidOperationException($"no special rendering for {render}"),
    };

    private static string Quantity(ReadOnlySpan<byte> data)
    {
        var text = "";
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == 1 && wireType == ProtoReader.LengthDelimited)
            {
                text = KubernetesEnvelope.Text(reader.ReadLengthDelimited());
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        // An empty Quantity is zero, which upstream writes as "0".
        return text == "" ? "0" : text;
    }

    private static JsonNode IntOrString(ReadOnlySpan<byte> data)
    {
        long type = 0;
        var intVal = 0;
        var strVal = "";
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field, wireType)
            {
                case (1, ProtoReader.Varint):
                    type = (long)reader.ReadVarint();
                    break;
                case (2, ProtoReader.Varint):
                    intVal = (int)reader.ReadVarint();
                    break;
                case (3, ProtoReader.LengthDelimited):
                    strVal = KubernetesEnvelope.Text(reader.ReadLengthDelimited());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return type == 1 ? JsonValue.Create(strVal) : JsonValue.Create(intVal);
    }

    private static JsonNode? Time(ReadOnlySpan<byte> data, bool micro)
    {
        // Upstream writes a zero time as an empty message, and reads one back as zero (null).
        if (data.IsEmpty)
        {
            return null;
        }

        long seconds = 0, nanos = 0;
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field, wireType)
            {
                case (1, ProtoReader.Varint):
                    seconds = (long)reader.ReadVarint();
                    break;
                case (2, ProtoReader.Varint):
                    nanos = (int)reader.ReadVarint();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (seconds is < MinSeconds or > MaxSeconds || nanos is < 0 or > 999_999_999)
        {
            throw new ProtobufFormatException($"time {seconds}s {nanos}ns is out of range");
        }

        if (seconds == MinSeconds && nanos == 0)
        {
            return null;
        }

        var at = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        return micro
            ? JsonValue.Create(at.AddTicks(nanos / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture))
            : JsonValue.Create(at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    private static JsonNode? RawJson(ReadOnlySpan<byte> data)
    {
        var raw = ReadOnlySpan<byte>.Empty;
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == 1 && wireType == ProtoReader.LengthDelimited)
            {
                raw = reader.ReadLengthDelimited();
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        if (raw.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(raw, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new ProtobufFormatException($"embedded raw JSON is not valid: {e.Message}");
        }
    }

    private static JsonArray StringList(ReadOnlySpan<byte> data)
    {
        var items = new JsonArray();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == 1 && wireType == ProtoReader.LengthDelimited)
            {
                items.Add(KubernetesEnvelope.Text(reader.ReadLengthDelimited()));
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return items;
    }

    private static long Varint(ReadOnlySpan<byte> data, int number)
    {
        long value = 0;
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == number && wireType == ProtoReader.Varint)
            {
                value = (long)reader.ReadVarint();
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return value;
    }

    /// <summary>Go's time.Duration.String: "1h2m3.5s", "1.5ms", "0s".</summary>
    internal static string GoDuration(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var sign = nanoseconds < 0 ? "-" : "";
        var u = nanoseconds < 0 ? (ulong)(-(nanoseconds + 1)) + 1 : (ulong)nanoseconds;
        if (u < 1_000_000_000)
        {
            return u switch
            {
                < 1_000 => $"{sign}{u}ns",
                < 1_000_000 => sign + Fraction(u, 1_000) + "µs",
                _ => sign + Fraction(u, 1_000_000) + "ms",
            };
        }

        var text = new StringBuilder(sign);
        var hours = u / 3_600_000_000_000;
        var minutes = u / 60_000_000_000 % 60;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        return text.Append(Fraction(u % 60_000_000_000, 1_000_000_000)).Append('s').ToString();
    }

    private static string Fraction(ulong value, ulong scale)
    {
        var whole = (value / scale).ToString(CultureInfo.InvariantCulture);
        var rest = value % scale;
        if (rest == 0)
        {
            return whole;
        }

        var digits = rest.ToString(CultureInfo.InvariantCulture).PadLeft((int)Math.Log10(scale), '0').TrimEnd('0');
        return whole + "." + digits;
    }
}
