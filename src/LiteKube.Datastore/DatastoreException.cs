namespace LiteKube.Datastore;

public enum DatastoreError
{
    /// <summary>The revision asked for has been compacted.</summary>
    Compacted,
    /// <summary>The revision asked for is newer than the current revision.</summary>
    FutureRevision,
    LeaseNotFound,
    LeaseExists,
    LeaseTtlTooLarge,
    /// <summary>Put with IgnoreValue/IgnoreLease on a key that does not exist.</summary>
    KeyNotFound,
    EmptyKey,
    /// <summary>A txn writes the same key twice.</summary>
    DuplicateKey,
    TooManyOps,
    RequestTooLarge,
    /// <summary>An option this store does not support; the message names it.</summary>
    Unsupported,
    InvalidArgument,
    /// <summary>The store is closed or has failed (e.g. a disk error) and serves nothing more.</summary>
    Unavailable,
}

/// <summary>A datastore call failed and changed nothing. Messages follow etcd's wording so that
/// clients such as etcdctl print what users know.</summary>
public sealed class DatastoreException(DatastoreError error, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public DatastoreError Error { get; } = error;

    public static DatastoreException Compacted() =>
        new(DatastoreError.Compacted, "etcdserver: mvcc: required revision has been compacted");

    public static DatastoreException FutureRevision() =>
        new(DatastoreError.FutureRevision, "etcdserver: mvcc: required revision is a future revision");

    public static DatastoreException LeaseNotFound() =>
        new(DatastoreError.LeaseNotFound, "etcdserver: requested lease not found");

    public static DatastoreException KeyNotFound() =>
        new(DatastoreError.KeyNotFound, "etcdserver: key not found");

    public static DatastoreException EmptyKey() =>
        new(DatastoreError.EmptyKey, "etcdserver: key is not provided");

    public static DatastoreException Unsupported(string option) =>
        new(DatastoreError.Unsupported, $"litekube: option {option} is not supported");
}

/// <summary>Store-wide facts and maintenance that etcd's Maintenance service exposes.
/// Implemented by the embedded stores.</summary>
public interface IDatastoreMaintenance
{
    /// <summary>Sizes and revisions; reads storage statistics, so not for every request.</summary>
    DatastoreStatus GetStatus();

    /// <summary>The current revision, cheaply (for response headers).</summary>
    long CurrentRevision { get; }

    /// <summary>Writes a consistent point-in-time snapshot of the whole store.</summary>
    Task WriteSnapshotAsync(Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Hash of every key version at or below <paramref name="revision"/> (0 = current)
    /// that compaction keeps; equal stores give equal hashes.</summary>
    Task<HashKvResult> HashKvAsync(long revision, CancellationToken cancellationToken = default);

    /// <summary>Rewrites the storage files so that space freed by compaction is returned.</summary>
    Task DefragmentAsync(CancellationToken cancellationToken = default);
}

public sealed record DatastoreStatus(long Revision, long CompactRevision, long DbSize, long DbSizeInUse);

public sealed record HashKvResult(long Revision, long CompactRevision, uint Hash);
