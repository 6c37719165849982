using System.Security.Cryptography;
using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

/// <summary>
/// LiteKube's snapshot file: every entry of every state-machine column (<see cref="Columns.StateMachine"/>)
/// at one moment, then a checksum.
/// <code>
/// "LKSNAP01"
/// entries:  column (1) | keyLength (4) | key | valueLength (4) | value     (lengths big-endian)
/// end:      0xFF
/// trailer:  SHA-256 of everything before it (32)
/// </code>
/// It is not etcd's bbolt format: `etcdctl snapshot status` cannot read it; `litekube` restores it.
/// </summary>
public static class SnapshotFormat
{
    private static readonly byte[] Magic = "LKSNAP01"u8.ToArray();
    private const byte End = 0xFF;
    private const int EntriesPerRestoreBatch = 4096;

    public static void Write(IStorageView view, Stream destination, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Not disposed: disposing a BufferedStream closes the caller's stream, which stays theirs.
        var buffered = new BufferedStream(destination, 64 * 1024);
        void Emit(ReadOnlySpan<byte> data)
        {
            sha.AppendData(data);
            buffered.Write(data);
        }

        Span<byte> length = stackalloc byte[4];
        Emit(Magic);
        // Only the state machine: the Raft log and its metadata are each member's own.
        foreach (var column in Columns.StateMachine)
        {
            using var it = view.Iterate(column);
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                cancellationToken.ThrowIfCancellationRequested();
                Emit([(byte)column]);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, it.Key.Length);
                Emit(length);
                Emit(it.Key);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, it.Value.Length);
                Emit(length);
                Emit(it.Value);
            }
        }

        Emit([End]);
        buffered.Write(sha.GetHashAndReset());
        buffered.Flush();
    }

    /// <summary>Loads a snapshot into an empty engine; throws InvalidArgument for a file that is
    /// not a complete, intact LiteKube snapshot.</summary>
    public static void Restore(Stream source, IStorageEngine engine)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var reader = new BinaryReader(new BufferedStream(source, 64 * 1024));
        byte[] Read(int count)
        {
            var data = reader.ReadBytes(count);
            if (data.Length != count)
            {
                throw Invalid("it ends early (truncated)");
            }

            sha.AppendData(data);
            return data;
        }

        if (!Read(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            throw Invalid("it is not a LiteKube snapshot");
        }

        var batch = engine.CreateBatch();
        while (true)
        {
            var column = Read(1)[0];
            if (column == End)
            {
                break;
            }

            if (!((Column)column).IsStateMachine())
            {
                throw Invalid($"unknown column {column}");
            }

            var key = Read(ReadLength(Read(4)));
            var value = Read(ReadLength(Read(4)));
            batch.Put((Column)column, key, value);
            if (batch.Count >= EntriesPerRestoreBatch)
            {
                engine.Write(batch, sync: false);
                batch.Dispose();
                batch = engine.CreateBatch();
            }
        }

        var expected = sha.GetHashAndReset();
        var actual = reader.ReadBytes(expected.Length);
        if (!actual.AsSpan().SequenceEqual(expected))
        {
            batch.Dispose();
            throw Invalid("its checksum does not match (corrupt or truncated)");
        }

        engine.Write(batch, sync: true);
        batch.Dispose();
    }

    /// <summary>Replaces the state-machine columns of <paramref name="engine"/> with the snapshot (the
    /// Raft columns stay: they are this member's own), in one atomic
    /// batch (a crash leaves the old data or the new, never a mix). The snapshot is checked
    /// completely before anything is written.</summary>
    public static void ReplaceAll(Stream source, IStorageEngine engine)
    {
        var scratch = new InMemoryEngine();
        Restore(source, scratch);
        using var batch = engine.CreateBatch();
        using (var old = engine.OpenView())
        {
            foreach (var column in Columns.StateMachine)
            {
                using var it = old.Iterate(column);
                for (it.SeekToFirst(); it.Valid; it.Next())
                {
                    batch.Delete(column, it.Key);
                }
            }
        }

        using (var incoming = scratch.OpenView())
        {
            foreach (var column in Columns.StateMachine)
            {
                using var it = incoming.Iterate(column);
                for (it.SeekToFirst(); it.Valid; it.Next())
                {
                    batch.Put(column, it.Key, it.Value);
                }
            }
        }

        engine.Write(batch, sync: true);
        scratch.Dispose();
    }

    private static int ReadLength(byte[] data)
    {
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data);
        return length is >= 0 and <= 64 * 1024 * 1024 ? length : throw Invalid($"bad entry length {length}");
    }

    private static DatastoreException Invalid(string why) =>
        new(DatastoreError.InvalidArgument, $"invalid snapshot: {why}");
}
