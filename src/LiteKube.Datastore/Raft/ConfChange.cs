using System.Buffers.Binary;

namespace LiteKube.Datastore.Raft;

public enum ConfChangeType : byte
{
    /// <summary>Adds a new voter, or promotes an existing learner.</summary>
    AddVoter = 1,
    /// <summary>Adds a new learner, or demotes an existing voter (one voter fewer: still single-server).</summary>
    AddLearner = 2,
    RemoveNode = 3,
}

/// <summary>
/// A single-server membership change. It travels as the data of an <see cref="EntryType.ConfChange"/>
/// entry and takes effect on every member when that entry is applied.
/// </summary>
public sealed record ConfChange(ConfChangeType Type, ulong NodeId)
{
    // Layout: 1 byte type, 8 bytes node id (big endian). Fixed so that logs written today stay readable.
    private const int EncodedLength = 9;

    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        bytes[0] = (byte)Type;
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(1), NodeId);
        return bytes;
    }

    public static ConfChange Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length != EncodedLength || !Enum.IsDefined((ConfChangeType)data[0]))
        {
            throw new FormatException($"not a conf change entry ({data.Length} bytes)");
        }
        return new ConfChange((ConfChangeType)data[0], BinaryPrimitives.ReadUInt64BigEndian(data[1..]));
    }

    public override string ToString() => $"{Type}({NodeId})";
}
