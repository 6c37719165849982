using System.Buffers.Binary;
using System.Text;

namespace LiteKube.Datastore.Mvcc;

/// <summary>The value of a "raft.member." meta key (layout in <see cref="KeyLayout"/>).</summary>
internal static class MemberCodec
{
    public static byte[] Encode(MemberUpdateCommand m)
    {
        var name = Encoding.UTF8.GetBytes(m.Name);
        var peer = Encoding.UTF8.GetBytes(m.PeerAddress);
        var result = new byte[1 + 2 + name.Length + 2 + peer.Length];
        result[0] = m.Removed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(1), checked((ushort)name.Length));
        name.CopyTo(result, 3);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(3 + name.Length), checked((ushort)peer.Length));
        peer.CopyTo(result, 5 + name.Length);
        return result;
    }

    public static MemberRecord Decode(ulong id, ReadOnlySpan<byte> value)
    {
        var nameLength = BinaryPrimitives.ReadUInt16BigEndian(value[1..]);
        var name = Encoding.UTF8.GetString(value.Slice(3, nameLength));
        var peerLength = BinaryPrimitives.ReadUInt16BigEndian(value[(3 + nameLength)..]);
        var peer = Encoding.UTF8.GetString(value.Slice(5 + nameLength, peerLength));
        return new MemberRecord(id, name, peer, value[0] == 1);
    }
}
