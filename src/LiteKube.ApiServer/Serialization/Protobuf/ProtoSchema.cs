namespace LiteKube.ApiServer.Serialization.Protobuf;

/// <summary>A field's protobuf value type, as the schema table names it.</summary>
public enum ProtoType { String, Bytes, Bool, Int32, Int64, UInt32, UInt64, Double, Float, Message, Map }

/// <summary>How a message appears in JSON when it is not a plain object: Kubernetes types
/// with their own JSON form.</summary>
public enum ProtoRender { Object, Quantity, IntOrString, Time, MicroTime, Duration, RawJson, StringList }

/// <summary>One message of the schema table: its fields by number.</summary>
public sealed class ProtoMessageSchema(string name, ProtoRender render)
{
    private readonly Dictionary<int, ProtoFieldSchema> _fields = [];

    public string Name { get; } = name;

    public ProtoRender Render { get; } = render;

    public IReadOnlyCollection<ProtoFieldSchema> Fields => _fields.Values;

    public ProtoFieldSchema? Find(int number) => _fields.GetValueOrDefault(number);

    internal void Add(ProtoFieldSchema field) => _fields.Add(field.Number, field);
}

/// <summary>
/// One field: JSON name, value type, the message (or a map's message value) it holds,
/// whether it repeats, whether a zero value is dropped (<see cref="OmitZero"/>: a Go value field
/// tagged omitempty, which Go's JSON leaves out when zero), and whether it is an embedded Go
/// struct whose fields join the parent object (<see cref="Inline"/>). A map's value type is
/// <see cref="MapValue"/> (a scalar) or <see cref="Message"/>.
/// </summary>
public sealed record ProtoFieldSchema(int Number, string JsonName, ProtoType Type, bool Repeated, bool OmitZero, bool Inline)
{
    public ProtoMessageSchema? Message { get; internal set; }

    public ProtoType? MapValue { get; internal init; }
}
