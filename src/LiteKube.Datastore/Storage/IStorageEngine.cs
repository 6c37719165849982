namespace LiteKube.Datastore.Storage;

/// <summary>The column families of one datastore: the MVCC store's (key layouts in
/// <see cref="Mvcc.KeyLayout"/>) and the Raft log's (layouts in
/// <see cref="Replication.Storage.RaftLogLayout"/>), which share one database so that one engine
/// (one RocksDB, one write-ahead log) serves both.</summary>
public enum Column
{
    Kv = 0,
    Revisions = 1,
    Leases = 2,
    LeaseKeys = 3,
    Meta = 4,
    /// <summary>Raft entries by index; not part of the MVCC state (snapshots and hashes skip it).</summary>
    RaftLog = 5,
    /// <summary>Raft hard state, snapshot metadata and log offset; not part of the MVCC state.</summary>
    RaftMeta = 6,
}

public static class Columns
{
    /// <summary>The columns that make up the MVCC state machine: what a snapshot carries and a
    /// restore replaces. The Raft columns are each member's own.</summary>
    public static IReadOnlyList<Column> StateMachine { get; } =
        [Column.Kv, Column.Revisions, Column.Leases, Column.LeaseKeys, Column.Meta];

    public static bool IsStateMachine(this Column column) => column <= Column.Meta;
}

/// <summary>
/// An ordered key-value engine with column families, atomic batches and consistent views:
/// the seam between the MVCC store and its disk (RocksDB) or memory (tests).
/// </summary>
/// <remarks>
/// Keys order by unsigned byte comparison. A batch is applied atomically and is visible to
/// every read started after <see cref="Write"/> returns, synced or not; a synced write also
/// makes every earlier write durable (it syncs the shared log). Thread-safe.
/// </remarks>
public interface IStorageEngine : IDisposable
{
    IStorageBatch CreateBatch();

    void Write(IStorageBatch batch, bool sync);

    /// <summary>A consistent read-only view of every column as of now. Dispose it promptly:
    /// it pins storage that compaction would otherwise free.</summary>
    IStorageView OpenView();

    /// <summary>Bytes the engine occupies on disk (or in memory).</summary>
    long TotalSize { get; }

    /// <summary>Bytes of live data, an estimate.</summary>
    long LiveDataSize { get; }

    /// <summary>Rewrites storage so that deleted data stops taking space.</summary>
    void CompactAll();
}

public interface IStorageBatch : IDisposable
{
    void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    void Delete(Column column, ReadOnlySpan<byte> key);

    /// <summary>Deletes every key in [from, to).</summary>
    void DeleteRange(Column column, byte[] from, byte[] to);

    int Count { get; }
}

public interface IStorageView : IDisposable
{
    byte[]? Get(Column column, ReadOnlySpan<byte> key);

    /// <summary>Iterates keys in [lowerBound, upperBound); null bounds are open. The iterator
    /// starts unpositioned: call Seek or SeekToFirst.</summary>
    IStorageIterator Iterate(Column column, byte[]? lowerBound = null, byte[]? upperBound = null);
}

/// <summary>Spans returned by Key and Value are valid until the next move or Dispose.</summary>
public interface IStorageIterator : IDisposable
{
    bool Valid { get; }

    void SeekToFirst();

    /// <summary>Moves to the first key &gt;= <paramref name="key"/> (within the bounds).</summary>
    void Seek(ReadOnlySpan<byte> key);

    void Next();

    ReadOnlySpan<byte> Key { get; }

    ReadOnlySpan<byte> Value { get; }
}
