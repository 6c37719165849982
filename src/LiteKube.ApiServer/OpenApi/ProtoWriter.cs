using System.Buffers.Binary;
using System.Text;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>
/// A minimal protocol buffers encoder: varints, length-delimited strings and nested messages,
/// doubles. Enough to write the OpenAPI v2 document in the message layout client-go decodes;
/// nested messages are written into their own buffer, then length-prefixed. Not thread-safe.
/// </summary>
internal sealed class ProtoWriter
{
    private const int Varint = 0;
    private const int Fixed64 = 1;
    private const int LengthDelimited = 2;

    private readonly MemoryStream _buffer = new();

    public byte[] ToArray() => _buffer.ToArray();

    /// <summary>A string field; proto3 omits empty strings.</summary>
    public void String(int field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Bytes(field, Encoding.UTF8.GetBytes(value));
        }
    }

    /// <summary>A bool field; proto3 omits false.</summary>
    public void Bool(int field, bool value)
    {
        if (value)
        {
            Tag(field, Varint);
            WriteVarint(1);
        }
    }

    /// <summary>A signed 64-bit field (int64, two's complement varint); proto3 omits 0.</summary>
    public void Int64(int field, long value)
    {
        if (value != 0)
        {
            Tag(field, Varint);
            WriteVarint(unchecked((ulong)value));
        }
    }

    /// <summary>A double field; proto3 omits 0.</summary>
    public void Double(int field, double value)
    {
        if (value != 0)
        {
            Tag(field, Fixed64);
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
            _buffer.Write(bytes);
        }
    }

    /// <summary>A nested message, written even when empty (presence matters for oneofs).</summary>
    public void Message(int field, Action<ProtoWriter> write)
    {
        var nested = new ProtoWriter();
        write(nested);
        Bytes(field, nested._buffer.GetBuffer().AsSpan(0, (int)nested._buffer.Length));
    }

    private void Bytes(int field, ReadOnlySpan<byte> bytes)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)bytes.Length);
        _buffer.Write(bytes);
    }

    private void Tag(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
