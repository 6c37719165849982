namespace LiteKube.ApiServer.Serialization.Protobuf;

/// <summary>
/// Reads the protobuf wire format (varints, length-delimited fields, fixed 32/64-bit values)
/// from a span. Every read is bounds-checked and throws <see cref="ProtobufFormatException"/>
/// on malformed input, so a hostile body can neither over-read nor loop.
/// </summary>
public ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool End => _position >= _data.Length;

    /// <summary>The next field's number and wire type.</summary>
    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        var field = tag >> 3;
        if (field is 0 or > int.MaxValue)
        {
            throw new ProtobufFormatException($"invalid field number {field}");
        }

        return ((int)field, (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new ProtobufFormatException("truncated varint");
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new ProtobufFormatException("varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw new ProtobufFormatException($"length {length} runs past the end of the message");
        }

        var value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    public ulong ReadFixed64()
    {
        Advance(8);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_position - 8, 8));
    }

    public uint ReadFixed32()
    {
        Advance(4);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(_position - 4, 4));
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                Advance(8);
                break;
            case LengthDelimited:
                ReadLengthDelimited();
                break;
            case Fixed32:
                Advance(4);
                break;
            default:
                // Groups (3, 4) are proto2 relics no Kubernetes type uses.
                throw new ProtobufFormatException($"unsupported wire type {wireType}");
        }
    }

    private void Advance(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new ProtobufFormatException("truncated fixed-size field");
        }

        _position += count;
    }
}
