using System.Buffers.Binary;

namespace LiteKube.Datastore.Mvcc;

/// <summary>
/// How the MVCC store lays out its data in the engine's columns. All integers are big-endian
/// so that byte order is numeric order.
/// <code>
/// kv          Escaped(userKey) 0x00 0x01 | ~modRevision (8)  -> VersionRecord
///             Every version of a key, newest first (the revision is stored inverted).
///             Escaped() doubles 0x00 as 0x00 0xFF and 0x00 0x01 ends the key, so the
///             entries of all keys sort in raw key order and one key's entries are contiguous.
/// revisions   mainRevision (8) | subRevision (4)            -> userKey
///             The change log, in revision order: watches replay history from here.
/// leases      leaseId (8)                                     -> grantedTtlSeconds (8)
/// lease-keys  leaseId (8) | userKey                           -> (empty)
///             The keys attached to each lease, so that revoke finds them.
/// meta        "revision"                                      -> current revision (8)
///             "compact.scheduled"                             -> compaction asked for (8)
///             "compact.finished"                              -> compaction done on disk (8)
///             "raft.applied"                                  -> last applied log index (8)
///             "raft.proposer." proposerId (8)                 -> last applied sequence (8)
///             "raft.member." memberId (8)                     -> removed (1) | name | peer address
///                                                                (UTF-8, 2-byte length each)
/// </code>
/// </summary>
public static class KeyLayout
{
    public static readonly byte[] MetaRevision = "revision"u8.ToArray();
    public static readonly byte[] MetaCompactScheduled = "compact.scheduled"u8.ToArray();
    public static readonly byte[] MetaCompactFinished = "compact.finished"u8.ToArray();
    public static readonly byte[] MetaAppliedIndex = "raft.applied"u8.ToArray();
    public static readonly byte[] MetaProposerPrefix = "raft.proposer."u8.ToArray();
    public static readonly byte[] MetaProposerEnd = "raft.proposer/"u8.ToArray();

    public static readonly byte[] MetaMemberPrefix = "raft.member."u8.ToArray();
    public static readonly byte[] MetaMemberEnd = "raft.member/"u8.ToArray();

    public static byte[] MetaMemberKey(ulong member) => [.. MetaMemberPrefix, .. Int64((long)member)];

    public static byte[] MetaProposerKey(ulong proposer) => [.. MetaProposerPrefix, .. Int64((long)proposer)];

    private const byte Escape = 0x00;
    private const byte EscapedZero = 0xFF;
    private const byte Terminator = 0x01;

    /// <summary>Escaped(key) without the terminator: every key &gt;= <paramref name="key"/>
    /// has entries at or after it, every key &lt; it before it.</summary>
    public static byte[] KeyBound(ReadOnlySpan<byte> key)
    {
        var zeros = key.Count((byte)0);
        var result = new byte[key.Length + zeros];
        var o = 0;
        foreach (var b in key)
        {
            result[o++] = b;
            if (b == Escape)
            {
                result[o++] = EscapedZero;
            }
        }

        return result;
    }

    /// <summary>Escaped(key) with the terminator: the common prefix of all of the key's entries.</summary>
    public static byte[] KeyPrefix(ReadOnlySpan<byte> key)
    {
        var bound = KeyBound(key);
        var result = new byte[bound.Length + 2];
        bound.CopyTo(result, 0);
        result[^2] = Escape;
        result[^1] = Terminator;
        return result;
    }

    /// <summary>Just past every entry of the key whose prefix is given.</summary>
    public static byte[] PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        var result = prefix.ToArray();
        result[^1] = Terminator + 1;
        return result;
    }

    public static byte[] KvKey(ReadOnlySpan<byte> prefix, long revision)
    {
        var result = new byte[prefix.Length + 8];
        prefix.CopyTo(result);
        BinaryPrimitives.WriteInt64BigEndian(result.AsSpan(prefix.Length), ~revision);
        return result;
    }

    public static long RevisionOf(ReadOnlySpan<byte> kvKey) =>
        ~BinaryPrimitives.ReadInt64BigEndian(kvKey[^8..]);

    public static ReadOnlySpan<byte> PrefixOf(ReadOnlySpan<byte> kvKey) => kvKey[..^8];

    /// <summary>The user key of a kv entry (the prefix, unescaped).</summary>
    public static byte[] UserKeyOf(ReadOnlySpan<byte> kvKey)
    {
        var body = kvKey[..^10];
        var zeros = 0;
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == Escape)
            {
                zeros++;
                i++;
            }
        }

        var result = new byte[body.Length - zeros];
        var o = 0;
        for (var i = 0; i < body.Length; i++)
        {
            result[o++] = body[i];
            if (body[i] == Escape)
            {
                i++;
            }
        }

        return result;
    }

    public static byte[] RevisionKey(long main, int sub)
    {
        var result = new byte[12];
        BinaryPrimitives.WriteInt64BigEndian(result, main);
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(8), sub);
        return result;
    }

    public static (long Main, int Sub) ParseRevisionKey(ReadOnlySpan<byte> key) =>
        (BinaryPrimitives.ReadInt64BigEndian(key), BinaryPrimitives.ReadInt32BigEndian(key[8..]));

    public static byte[] Int64(long value)
    {
        var result = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(result, value);
        return result;
    }

    public static long ReadInt64(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadInt64BigEndian(value);

    public static byte[] LeaseKey(long id) => Int64(id);

    public static byte[] LeaseKeysKey(long id, ReadOnlySpan<byte> userKey)
    {
        var result = new byte[8 + userKey.Length];
        BinaryPrimitives.WriteInt64BigEndian(result, id);
        userKey.CopyTo(result.AsSpan(8));
        return result;
    }
}
