namespace LiteKube.ApiServer.Security.Protobuf;

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

        var unknown = ProtobufJsonDecoder.Decode(body[Magic.Length..], Unknown);
        var raw = unknown["raw"]?.GetValue<string>();
        var encoding = unknown["contentEncoding"]?.GetValue<string>() ?? "";
        if (encoding != "")
        {
            throw new ProtobufFormatException($"content encoding {encoding} is not supported");
        }

        return (
            unknown["typeMeta"]?["apiVersion"]?.GetValue<string>() ?? "",
            unknown["typeMeta"]?["kind"]?.GetValue<string>() ?? "",
            raw is null ? [] : Convert.FromBase64String(raw));
    }

    private static readonly ProtoMessage TypeMeta = new("TypeMeta")
    {
        [1] = new("apiVersion", ProtoFieldType.String),
        [2] = new("kind", ProtoFieldType.String),
    };

    private static readonly ProtoMessage Unknown = new("Unknown")
    {
        [1] = new("typeMeta", ProtoFieldType.Message, Message: TypeMeta),
        [2] = new("raw", ProtoFieldType.Bytes),
        [3] = new("contentEncoding", ProtoFieldType.String),
        [4] = new("contentType", ProtoFieldType.String),
    };
}
