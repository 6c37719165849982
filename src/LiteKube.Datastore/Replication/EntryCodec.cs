using System.Text;
using LiteKube.Datastore.Mvcc;

namespace LiteKube.Datastore.Replication;

/// <summary>
/// The bytes of a normal log entry. Fixed forever once written (logs and snapshots outlive
/// binaries), so new commands get new kinds and old kinds never change:
/// <code>
/// version (1) = 1 | proposer (8) | sequence (8) | kind (1) | body
/// kind 1 txn          compares (count + each) | success ops | failure ops
/// kind 2 compact      revision (8)
/// kind 3 lease grant  id (8) | ttl (8)
/// kind 4 lease revoke id (8)
/// kind 5 keep-alive   id (8)
/// kind 6 member       id (8) | name | peer address | removed (1)
/// </code>
/// Integers are little-endian (BinaryWriter); byte strings are a 4-byte length (-1: null) and
/// the bytes.
/// </summary>
public static class EntryCodec
{
    private const byte Version = 1;

    public static byte[] Encode(LogCommand entry)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write(entry.Proposer);
            w.Write(entry.Sequence);
            switch (entry.Command)
            {
                case TxnCommand t:
                    w.Write((byte)1);
                    WriteTxn(w, t.Txn);
                    break;
                case CompactCommand c:
                    w.Write((byte)2);
                    w.Write(c.Revision);
                    break;
                case LeaseGrantCommand g:
                    w.Write((byte)3);
                    w.Write(g.Id);
                    w.Write(g.Ttl);
                    break;
                case LeaseRevokeCommand r:
                    w.Write((byte)4);
                    w.Write(r.Id);
                    break;
                case LeaseKeepAliveCommand k:
                    w.Write((byte)5);
                    w.Write(k.Id);
                    break;
                case MemberUpdateCommand m:
                    w.Write((byte)6);
                    w.Write(m.MemberId);
                    w.Write(m.Name);
                    w.Write(m.PeerAddress);
                    w.Write(m.Removed);
                    break;
                default:
                    throw new ArgumentException($"no log encoding for {entry.Command.GetType().Name}", nameof(entry));
            }
        }

        return stream.ToArray();
    }

    /// <summary>Throws <see cref="FormatException"/> for bytes that are not an entry of this format.</summary>
    public static LogCommand Decode(byte[] data)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(data, writable: false), Encoding.UTF8);
            if (r.ReadByte() != Version)
            {
                throw new FormatException($"unknown log entry version {data[0]}");
            }

            var proposer = r.ReadUInt64();
            var sequence = r.ReadUInt64();
            var kind = r.ReadByte();
            Command command = kind switch
            {
                1 => new TxnCommand(ReadTxn(r, depth: 0)),
                2 => new CompactCommand(r.ReadInt64()),
                3 => new LeaseGrantCommand(r.ReadInt64(), r.ReadInt64()),
                4 => new LeaseRevokeCommand(r.ReadInt64()),
                5 => new LeaseKeepAliveCommand(r.ReadInt64()),
                6 => new MemberUpdateCommand(r.ReadUInt64(), r.ReadString(), r.ReadString(), r.ReadBoolean()),
                _ => throw new FormatException($"unknown log entry kind {kind}"),
            };
            if (r.BaseStream.Position != data.Length)
            {
                throw new FormatException("trailing bytes after the log entry");
            }

            return new LogCommand(proposer, sequence, command);
        }
        catch (EndOfStreamException e)
        {
            throw new FormatException("the log entry ends early", e);
        }
    }

    private static void WriteTxn(BinaryWriter w, TxnRequest txn)
    {
        w.Write(txn.Compare.Count);
        foreach (var c in txn.Compare)
        {
            WriteBytes(w, c.Key);
            WriteBytes(w, c.RangeEnd);
            w.Write((byte)c.Target);
            w.Write((byte)c.Result);
            w.Write(c.Number);
            WriteBytes(w, c.Value);
        }

        WriteOps(w, txn.Success);
        WriteOps(w, txn.Failure);
    }

    private static void WriteOps(BinaryWriter w, IReadOnlyList<TxnOp> ops)
    {
        w.Write(ops.Count);
        foreach (var op in ops)
        {
            switch (op)
            {
                case TxnRangeOp range:
                    w.Write((byte)1);
                    WriteRange(w, range.Request);
                    break;
                case TxnPutOp put:
                    w.Write((byte)2);
                    WriteBytes(w, put.Request.Key);
                    WriteBytes(w, put.Request.Value);
                    w.Write(put.Request.Lease);
                    w.Write(put.Request.PrevKv);
                    w.Write(put.Request.IgnoreValue);
                    w.Write(put.Request.IgnoreLease);
                    break;
                case TxnDeleteOp delete:
                    w.Write((byte)3);
                    WriteBytes(w, delete.Request.Key);
                    WriteBytes(w, delete.Request.RangeEnd);
                    w.Write(delete.Request.PrevKv);
                    break;
                case TxnNestedOp nested:
                    w.Write((byte)4);
                    WriteTxn(w, nested.Request);
                    break;
                default:
                    throw new ArgumentException($"no log encoding for {op.GetType().Name}");
            }
        }
    }

    private static void WriteRange(BinaryWriter w, RangeRequest r)
    {
        WriteBytes(w, r.Key);
        WriteBytes(w, r.RangeEnd);
        w.Write(r.Revision);
        w.Write(r.Limit);
        w.Write((byte)r.SortOrder);
        w.Write((byte)r.SortTarget);
        w.Write(r.Serializable);
        w.Write(r.KeysOnly);
        w.Write(r.CountOnly);
        w.Write(r.MinModRevision);
        w.Write(r.MaxModRevision);
        w.Write(r.MinCreateRevision);
        w.Write(r.MaxCreateRevision);
    }

    private static TxnRequest ReadTxn(BinaryReader r, int depth)
    {
        // Nesting is bounded by the txn validator long before this; the guard only stops a
        // damaged entry from recursing without end.
        if (depth > 64)
        {
            throw new FormatException("txn nesting too deep");
        }

        var compares = new Compare[ReadCount(r)];
        for (var i = 0; i < compares.Length; i++)
        {
            var key = ReadBytes(r)!;
            var rangeEnd = ReadBytes(r);
            var target = (CompareTarget)r.ReadByte();
            var result = (CompareResult)r.ReadByte();
            compares[i] = new Compare(key, target, result) { RangeEnd = rangeEnd, Number = r.ReadInt64(), Value = ReadBytes(r) ?? [] };
        }

        return new TxnRequest(compares, ReadOps(r, depth), ReadOps(r, depth));
    }

    private static TxnOp[] ReadOps(BinaryReader r, int depth)
    {
        var ops = new TxnOp[ReadCount(r)];
        for (var i = 0; i < ops.Length; i++)
        {
            var kind = r.ReadByte();
            ops[i] = kind switch
            {
                1 => new TxnRangeOp(ReadRange(r)),
                2 => new TxnPutOp(new PutRequest(ReadBytes(r)!, ReadBytes(r)!)
                {
                    Lease = r.ReadInt64(), PrevKv = r.ReadBoolean(), IgnoreValue = r.ReadBoolean(), IgnoreLease = r.ReadBoolean(),
                }),
                3 => new TxnDeleteOp(new DeleteRangeRequest(ReadBytes(r)!, ReadBytes(r)) { PrevKv = r.ReadBoolean() }),
                4 => new TxnNestedOp(ReadTxn(r, depth + 1)),
                _ => throw new FormatException($"unknown txn op kind {kind}"),
            };
        }

        return ops;
    }

    private static RangeRequest ReadRange(BinaryReader r) => new(ReadBytes(r)!, ReadBytes(r))
    {
        Revision = r.ReadInt64(),
        Limit = r.ReadInt64(),
        SortOrder = (SortOrder)r.ReadByte(),
        SortTarget = (SortTarget)r.ReadByte(),
        Serializable = r.ReadBoolean(),
        KeysOnly = r.ReadBoolean(),
        CountOnly = r.ReadBoolean(),
        MinModRevision = r.ReadInt64(),
        MaxModRevision = r.ReadInt64(),
        MinCreateRevision = r.ReadInt64(),
        MaxCreateRevision = r.ReadInt64(),
    };

    private static void WriteBytes(BinaryWriter w, byte[]? bytes)
    {
        if (bytes is null)
        {
            w.Write(-1);
            return;
        }

        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static byte[]? ReadBytes(BinaryReader r)
    {
        var length = r.ReadInt32();
        if (length == -1)
        {
            return null;
        }

        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
        {
            throw new FormatException($"bad byte string length {length}");
        }

        return r.ReadBytes(length);
    }

    private static int ReadCount(BinaryReader r)
    {
        var count = r.ReadInt32();
        return count >= 0 && count <= r.BaseStream.Length - r.BaseStream.Position
            ? count
            : throw new FormatException($"bad count {count}");
    }
}
