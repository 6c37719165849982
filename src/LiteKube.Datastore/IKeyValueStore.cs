namespace LiteKube.Datastore;

/// <summary>
/// The etcd v3 data model: the contract between the API server and every datastore
/// (in-memory, RocksDB, replicated, external etcd). One black-box suite
/// (<c>tests/LiteKube.Datastore.Tests/Contract</c>) runs against each implementation.
/// </summary>
/// <remarks>
/// <para>Revisions: a single global revision increases by one with every write that changes
/// at least one key (a txn that writes several keys is one revision). Lease grants,
/// keep-alives and compaction do not change it.</para>
/// <para>Ranges: <c>RangeEnd == null</c> (or empty) means the single key <c>Key</c>;
/// otherwise the half-open interval [Key, RangeEnd); <c>RangeEnd == "\0"</c> means every key
/// &gt;= Key; <c>Key == "\0"</c> with <c>RangeEnd == "\0"</c> means every key.</para>
/// <para>Results are immutable and owned by the caller; byte arrays passed in must not be
/// changed by the caller until the call completes.</para>
/// <para>Errors are <see cref="DatastoreException"/> with a <see cref="DatastoreError"/> code;
/// a failed call changed nothing. All members are thread-safe.</para>
/// <para>Durability: a write's task completes only after the write is durable (synced to disk
/// for the embedded stores, committed by a quorum for replicated ones); a read never observes
/// a write that is not yet durable.</para>
/// </remarks>
public interface IKeyValueStore : IAsyncDisposable
{
    Task<RangeResult> RangeAsync(RangeRequest request, CancellationToken cancellationToken = default);

    Task<PutResult> PutAsync(PutRequest request, CancellationToken cancellationToken = default);

    Task<DeleteRangeResult> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Compares are evaluated against the revision before the txn; success or failure
    /// ops run in order, and a range op sees the writes of earlier ops of the same txn.
    /// A key may be written (put or deleted) at most once per txn.</summary>
    Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default);

    /// <summary>Makes revisions below <paramref name="revision"/> unreadable and frees them.
    /// Reads and watches at a revision &lt; the compacted revision fail with
    /// <see cref="DatastoreError.Compacted"/>. Compacting at or below the current compacted
    /// revision fails with Compacted; above the current revision with FutureRevision.</summary>
    Task<CompactResult> CompactAsync(long revision, CancellationToken cancellationToken = default);

    /// <summary>Starts a watch. Events of revisions &gt;= StartRevision (0 = from the next
    /// revision) are delivered in revision order, each revision at most once, none skipped.
    /// The returned watch must be disposed.</summary>
    IWatch Watch(WatchRequest request);

    /// <summary>Grants a lease; <paramref name="id"/> 0 lets the store pick a unique id.</summary>
    Task<LeaseGrantResult> LeaseGrantAsync(long id, long ttlSeconds, CancellationToken cancellationToken = default);

    /// <summary>Revokes a lease and deletes every key attached to it, in one revision.</summary>
    Task<long> LeaseRevokeAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Renews a lease to its full TTL; returns that TTL. Unknown or expired leases
    /// fail with LeaseNotFound.</summary>
    Task<LeaseKeepAliveResult> LeaseKeepAliveAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Returns null when the lease does not exist (expired or revoked).</summary>
    Task<LeaseTimeToLiveResult?> LeaseTimeToLiveAsync(long id, bool includeKeys, CancellationToken cancellationToken = default);

    Task<LeaseListResult> LeaseListAsync(CancellationToken cancellationToken = default);
}

/// <summary>A live watch. Batches arrive on <see cref="Batches"/>; the channel completes after a
/// batch with <see cref="WatchBatch.Canceled"/> set, or when the watch is disposed.</summary>
public interface IWatch : IAsyncDisposable
{
    System.Threading.Channels.ChannelReader<WatchBatch> Batches { get; }

    /// <summary>Asks for a progress notification: an empty batch whose Revision says every
    /// event up to it has been delivered.</summary>
    void RequestProgress();
}
