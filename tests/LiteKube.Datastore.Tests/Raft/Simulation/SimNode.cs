using System.Buffers.Binary;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Tests.Raft.Simulation;

/// <summary>
/// One simulated server: a Raft node (null while crashed), its disk and its state machine. The
/// disk is the MemoryRaftStorage, written only when a Ready's simulated fsync completes; a crash
/// drops the RaftNode and any Ready not yet written.
/// </summary>
internal sealed class SimNode
{
    public SimNode(ulong id, MemoryRaftStorage disk)
    {
        Id = id;
        Disk = disk;
    }

    public ulong Id { get; }

    public MemoryRaftStorage Disk { get; }

    public RaftNode? Raft { get; set; }

    /// <summary>Bumped on every crash, so events scheduled for an earlier life are ignored.</summary>
    public int Incarnation { get; set; }

    /// <summary>A Ready taken and being written to disk.</summary>
    public Ready? Writing { get; set; }

    /// <summary>The state machine: the index applied and a hash chain over every applied entry.</summary>
    public ulong AppliedIndex { get; set; }

    public ulong StateHash { get; set; }

    public bool Up => Raft is not null;

    public static ulong Chain(ulong hash, Entry e)
    {
        // FNV-1a over (previous hash, term, index, type, data): equal hashes at an index mean equal prefixes.
        const ulong prime = 1099511628211;
        Span<byte> header = stackalloc byte[25];
        BinaryPrimitives.WriteUInt64LittleEndian(header, hash);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], e.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], e.Index);
        header[24] = (byte)e.Type;
        var h = 14695981039346656037;
        foreach (var b in header)
        {
            h = (h ^ b) * prime;
        }
        foreach (var b in e.Data)
        {
            h = (h ^ b) * prime;
        }
        return h;
    }

    public static byte[] EncodeState(ulong index, ulong hash)
    {
        var data = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(data, index);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(8), hash);
        return data;
    }

    public static (ulong Index, ulong Hash) DecodeState(byte[] data) =>
        data.Length == 0 ? (0, 0) : (BinaryPrimitives.ReadUInt64LittleEndian(data), BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(8)));
}
