namespace LiteKube.ApiServer.Security.Protobuf;

/// <summary>How one field of a message maps to JSON: its JSON name, value type, whether it
/// repeats, and for messages (and map values) the nested schema.</summary>
public sealed record ProtoField(string JsonName, ProtoFieldType Type, bool Repeated = false, ProtoMessage? Message = null);

public enum ProtoFieldType
{
    String,
    /// <summary>Raw bytes: base64 in JSON, as the protobuf JSON mapping writes them.</summary>
    Bytes,
    Int64,
    Int32,
    Bool,
    /// <summary>A nested message (schema in <see cref="ProtoField.Message"/>).</summary>
    Message,
    /// <summary>map&lt;string,string&gt; (entries: key = 1, value = 2).</summary>
    StringMap,
    /// <summary>map&lt;string, message&gt;, where the message wraps <c>repeated string items = 1</c>
    /// (authorization's ExtraValue): a JSON object of string arrays.</summary>
    StringListMap,
    /// <summary>meta/v1 Time {seconds = 1, nanos = 2}: an RFC 3339 string, null when zero.</summary>
    Time,
}
