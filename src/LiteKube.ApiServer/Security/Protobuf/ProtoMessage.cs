namespace LiteKube.ApiServer.Security.Protobuf;

/// <summary>A message schema: field number to <see cref="ProtoField"/>. Fields not listed are
/// skipped when decoding, as protobuf readers do with unknown fields.</summary>
public sealed class ProtoMessage(string name)
{
    private readonly Dictionary<int, ProtoField> _fields = [];

    public string Name { get; } = name;

    public ProtoField this[int number]
    {
        get => _fields[number];
        init => _fields[number] = value;
    }

    public ProtoField? Find(int number) => _fields.GetValueOrDefault(number);
}
