using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Serialization.Protobuf;

/// <summary>A decoded protobuf body: the envelope's type, the object as JSON (apiVersion and
/// kind set from the envelope) and the field numbers the schema did not know.</summary>
public sealed record DecodedObject(string ApiVersion, string Kind, JsonObject Object, IReadOnlyList<string> UnknownFields);

/// <summary>Reads a whole <c>application/vnd.kubernetes.protobuf</c> body: envelope, then the
/// object by the schema of the kind the envelope names.</summary>
public static class KubernetesProtobuf
{
    /// <exception cref="ProtobufFormatException">The body is malformed or of a kind the table lacks.</exception>
    public static DecodedObject Decode(ReadOnlySpan<byte> body, ProtoSchemaTable? table = null)
    {
        var (apiVersion, kind, raw) = KubernetesEnvelope.Unwrap(body);
        if (apiVersion == "" || kind == "")
        {
            throw new ProtobufFormatException("the envelope does not name the object's apiVersion and kind");
        }

        var schema = (table ?? ProtoSchemaTable.Kubernetes).ForKind(apiVersion, kind)
            ?? throw new ProtobufFormatException($"no kind \"{kind}\" is registered for version \"{apiVersion}\"");
        if (ProtobufJsonDecoder.Decode(raw, schema, out var unknown) is not JsonObject obj)
        {
            throw new ProtobufFormatException($"{kind} is not an object kind");
        }

        var typed = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (name, value) in obj.ToList())
        {
            obj.Remove(name);
            typed[name] = value;
        }

        return new DecodedObject(apiVersion, kind, typed, unknown);
    }
}
