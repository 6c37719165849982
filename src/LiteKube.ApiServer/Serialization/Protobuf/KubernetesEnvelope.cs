using System.Text;

namespace LiteKube.ApiServer.Serialization.Protobuf;

/// <summary>
/// Kubernetes' protobuf envelope: the magic bytes <c>k8s\0</c>, then a runtime.Unknown
/// message {1: typeMeta {1: apiVersion, 2: kind}, 2: raw = the object's own message,
/// 3: contentEncoding, 4: contentType}.
/// </summary>
public static class KubernetesEnvelope
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>The type named in the envelope and the object's bytes.</summary>
    public static (string ApiVersion, string Kind, byte[] Raw) Unwrap(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw new ProtobufFormatException("the body does not start with the Kubernetes protobuf magic k8s\\0");
        }

        string apiVersion = "", kind = "", encoding = "";
        byte[] raw = [];
        var reader = new ProtoReader(body[Magic.Length..]);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            if (wireType != ProtoReader.LengthDelimited)
            {
                reader.Skip(wireType);
                continue;
            }

            var value = reader.ReadLengthDelimited();
            switch (field)
            {
                case 1:
                    (apiVersion, kind) = TypeMeta(value);
                    break;
                case 2:
                    raw = value.ToArray();
                    break;
                case 3:
                    encoding = Text(value);
                    break;
            }
        }

        if (encoding != "")
        {
            throw new ProtobufFormatException($"content encoding {encoding} is not supported");
        }

        return (apiVersion, kind, raw);
    }

    private static (string ApiVersion, string Kind) TypeMeta(ReadOnlySpan<byte> data)
    {
        string apiVersion = "", kind = "";
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            if (wireType != ProtoReader.LengthDelimited || field is not (1 or 2))
            {
                reader.Skip(wireType);
                continue;
            }

            var text = Text(reader.ReadLengthDelimited());
            if (field == 1)
            {
                apiVersion = text;
            }
            else
            {
                kind = text;
            }
        }

        return (apiVersion, kind);
    }

    internal static string Text(ReadOnlySpan<byte> data)
    {
        try
        {
            return StrictUtf8.GetString(data);
        }
        catch (DecoderFallbackException)
        {
            throw new ProtobufFormatException("a string is not valid UTF-8");
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
