namespace LiteKube.Datastore.Mvcc;

/// <summary>
/// The value of a kv entry: one version of a key. Encoded as
/// <c>flags (1) | createRevision | version | lease | subRevision (unsigned LEB128 each) | value</c>;
/// flag bit 0 marks a tombstone (the key was deleted at this revision).
/// </summary>
public readonly record struct VersionRecord(bool Tombstone, long CreateRevision, long Version, long Lease, int SubRevision, byte[] Value)
{
    public byte[] Encode()
    {
        Span<byte> header = stackalloc byte[1 + (4 * 10)];
        header[0] = Tombstone ? (byte)1 : (byte)0;
        var length = 1;
        length += WriteVarint(header[length..], (ulong)CreateRevision);
        length += WriteVarint(header[length..], (ulong)Version);
        length += WriteVarint(header[length..], (ulong)Lease);
        length += WriteVarint(header[length..], (uint)SubRevision);
        var result = new byte[length + Value.Length];
        header[..length].CopyTo(result);
        Value.CopyTo(result, length);
        return result;
    }

    public static VersionRecord Decode(ReadOnlySpan<byte> data, bool withValue = true)
    {
        var tombstone = (data[0] & 1) != 0;
        var offset = 1;
        var create = (long)ReadVarint(data, ref offset);
        var version = (long)ReadVarint(data, ref offset);
        var lease = (long)ReadVarint(data, ref offset);
        var sub = (int)ReadVarint(data, ref offset);
        return new VersionRecord(tombstone, create, version, lease, sub, withValue ? data[offset..].ToArray() : []);
    }

    public KeyValue ToKeyValue(byte[] key, long modRevision) =>
        new(key, Value, CreateRevision, modRevision, Version, Lease);

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int offset)
    {
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            var b = data[offset++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }

            shift += 7;
            if (shift > 63)
            {
                throw new InvalidDataException("corrupt version record: varint too long");
            }
        }
    }
}
