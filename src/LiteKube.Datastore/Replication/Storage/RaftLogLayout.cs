using System.Buffers.Binary;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication.Storage;

/// <summary>
/// The Raft columns, byte by byte (integers big-endian unless marked varint, LEB128).
/// <code>
/// raft-log   key:   index (8)                      so entries sort by index
///            value: type (1) | term (varint) | data (rest)
/// raft-meta  "hard-state" -> 0x01 | term (8) | vote (8) | commit (8)
///            "snapshot"   -> 0x01 | index (8) | term (8) | voters (4) | voter ids (8 each)
///                                 | learners (4) | learner ids (8 each) | data (rest)
///            "log-offset" -> 0x01 | index (8) | term (8)    the entry before the first stored one
/// </code>
/// The leading 0x01 is the format version: a value with another first byte or length is damage,
/// never guessed at.
/// </summary>
public static class RaftLogLayout
{
    public static readonly byte[] HardStateKey = "hard-state"u8.ToArray();
    public static readonly byte[] SnapshotKey = "snapshot"u8.ToArray();
    public static readonly byte[] OffsetKey = "log-offset"u8.ToArray();

    private const byte Version = 1;
    private const int HardStateLength = 1 + 24;
    private const int OffsetLength = 1 + 16;

    public static byte[] EntryKey(ulong index)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, index);
        return key;
    }

    public static ulong IndexOf(ReadOnlySpan<byte> key) =>
        key.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(key) : throw new FormatException($"a log key of {key.Length} bytes, expected 8");

    public static byte[] EncodeEntry(Entry entry)
    {
        Span<byte> term = stackalloc byte[10];
        var termLength = WriteVarint(term, entry.Term);
        var value = new byte[1 + termLength + entry.Data.Length];
        value[0] = (byte)entry.Type;
        term[..termLength].CopyTo(value.AsSpan(1));
        entry.Data.CopyTo(value.AsSpan(1 + termLength));
        return value;
    }

    public static Entry DecodeEntry(ulong index, ReadOnlySpan<byte> value)
    {
        var (type, term, headerLength) = DecodeEntryHeader(index, value);
        return new Entry(term, index, type, value[headerLength..].ToArray());
    }

    /// <summary>The type and term of an encoded entry, without copying its data.</summary>
    public static (EntryType Type, ulong Term, int HeaderLength) DecodeEntryHeader(ulong index, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value[0] > (byte)EntryType.ConfChange)
        {
            throw new FormatException($"entry {index} has an unknown type");
        }
        var termLength = ReadVarint(value[1..], out var term);
        if (termLength == 0)
        {
            throw new FormatException($"entry {index} has a truncated term");
        }
        return ((EntryType)value[0], term, 1 + termLength);
    }

    public static byte[] EncodeHardState(HardState state)
    {
        var value = new byte[HardStateLength];
        value[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(1), state.Term);
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(9), state.Vote);
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(17), state.Commit);
        return value;
    }

    public static HardState DecodeHardState(ReadOnlySpan<byte> value)
    {
        RequireVersion(value, "hard state", HardStateLength);
        return new HardState(
            BinaryPrimitives.ReadUInt64BigEndian(value[1..]),
            BinaryPrimitives.ReadUInt64BigEndian(value[9..]),
            BinaryPrimitives.ReadUInt64BigEndian(value[17..]));
    }

    public static byte[] EncodeOffset(ulong index, ulong term)
    {
        var value = new byte[OffsetLength];
        value[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(1), index);
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(9), term);
        return value;
    }

    public static (ulong Index, ulong Term) DecodeOffset(ReadOnlySpan<byte> value)
    {
        RequireVersion(value, "log offset", OffsetLength);
        return (BinaryPrimitives.ReadUInt64BigEndian(value[1..]), BinaryPrimitives.ReadUInt64BigEndian(value[9..]));
    }

    public static byte[] EncodeSnapshot(Snapshot snapshot)
    {
        var conf = snapshot.Metadata.ConfState;
        var value = new byte[1 + 16 + 4 + 8 * conf.Voters.Count + 4 + 8 * conf.Learners.Count + snapshot.Data.Length];
        value[0] = Version;
        var at = 1;
        void Put(ulong number)
        {
            BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(at), number);
            at += 8;
        }
        void PutIds(IReadOnlyList<ulong> ids)
        {
            BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(at), ids.Count);
            at += 4;
            foreach (var id in ids)
            {
                Put(id);
            }
        }
        Put(snapshot.Index);
        Put(snapshot.Term);
        PutIds(conf.Voters);
        PutIds(conf.Learners);
        snapshot.Data.CopyTo(value.AsSpan(at));
        return value;
    }

    public static Snapshot DecodeSnapshot(ReadOnlySpan<byte> value)
    {
        RequireVersion(value, "snapshot metadata", minimumLength: 1 + 16 + 8);
        var at = 1;
        ulong Take(ReadOnlySpan<byte> source)
        {
            var number = BinaryPrimitives.ReadUInt64BigEndian(source[at..]);
            at += 8;
            return number;
        }
        ulong[] TakeIds(ReadOnlySpan<byte> source)
        {
            var count = BinaryPrimitives.ReadInt32BigEndian(source[at..]);
            at += 4;
            if (count < 0 || (long)count * 8 > source.Length - at)
            {
                throw new FormatException($"snapshot metadata claims {count} members in {source.Length} bytes");
            }
            var ids = new ulong[count];
            for (var i = 0; i < count; i++)
            {
                ids[i] = Take(source);
            }
            return ids;
        }
        var index = Take(value);
        var term = Take(value);
        var voters = TakeIds(value);
        if (value.Length - at < 4)
        {
            throw new FormatException("snapshot metadata ends before its learners");
        }
        var learners = TakeIds(value);
        return new Snapshot(new SnapshotMetadata(index, term, new ConfState(voters, learners)), value[at..].ToArray());
    }

    private static void RequireVersion(ReadOnlySpan<byte> value, string what, int exactLength = -1, int minimumLength = 0)
    {
        if (value.IsEmpty || value[0] != Version)
        {
            throw new FormatException($"{what} has an unknown format ({(value.IsEmpty ? "empty" : $"version {value[0]}")})");
        }
        if ((exactLength >= 0 && value.Length != exactLength) || value.Length < minimumLength)
        {
            throw new FormatException($"{what} is {value.Length} bytes, expected {(exactLength >= 0 ? exactLength : $"at least {minimumLength}")}");
        }
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            destination[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[at++] = (byte)value;
        return at;
    }

    /// <summary>Returns the bytes read, or 0 when the varint is truncated or too long.</summary>
    private static int ReadVarint(ReadOnlySpan<byte> source, out ulong value)
    {
        value = 0;
        for (var i = 0; i < source.Length && i < 10; i++)
        {
            value |= (ulong)(source[i] & 0x7f) << (7 * i);
            if (source[i] < 0x80)
            {
                return i + 1;
            }
        }
        return 0;
    }
}
