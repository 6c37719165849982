using LiteKube.Datastore.Mvcc;
using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Replication;

/// <summary>
/// The datastore replicated with Raft: every write is a log entry, proposed by whichever member
/// the caller reached and answered by that member once it has applied the entry; reads are
/// linearizable by default (ReadIndex, batched) and served from local applied state; watches are
/// local. Every member applies the same entries to its own <see cref="AppliedState"/>.
/// </summary>
/// <remarks>
/// What it does not guarantee: a write that fails with Unavailable (no leader, timed out, leader
/// changed) may still have been applied, as with etcd; it is never applied twice, because every
/// entry carries its proposer's sequence number and members skip numbers they already applied.
/// </remarks>
public sealed partial class ReplicatedStore : IKeyValueStore, IDatastoreMaintenance, ISnapshotSource, IRaftApplication
{
    private readonly AppliedState _state;
    private readonly ReplicatedStoreOptions _options;
    private readonly RaftHost _host;
    private readonly IRaftTransport _transport;
    private readonly TimeProvider _raftTime;

    private ReplicatedStore(IStorageEngine engine, IRaftLogStore log, Func<ISnapshotSource, IRaftTransport> transport, ReplicatedStoreOptions options)
    {
        _options = options;
        _raftTime = options.Raft.Time;
        _state = new AppliedState(engine, options.Time, options.ProgressNotifyInterval);
        _nextSequence = Math.Max((ulong)options.Raft.Time.GetUtcNow().ToUnixTimeMilliseconds() * 1000, _state.Machine.LastSequence(options.Raft.Id));
        _lastApplied = _state.Machine.AppliedIndex;
        _transport = transport(this);
        _host = new RaftHost(options.Raft, log, _transport, this);
        _leaseTimer = options.Time.CreateTimer(_ => RevokeExpiredLeases(), null, options.LeaseCheckInterval, options.LeaseCheckInterval);
    }

    /// <summary>Starts a member over <paramref name="engine"/> (its MVCC data) and
    /// <paramref name="log"/> (its Raft log, bootstrapped for founding members); the transport
    /// is made with this store as its snapshot source. The store owns all three. A lone voter
    /// returns once it leads (at once: it campaigns without waiting), so that its first
    /// requests do not wait for an election.</summary>
    public static ReplicatedStore Start(IStorageEngine engine, IRaftLogStore log, Func<ISnapshotSource, IRaftTransport> transport, ReplicatedStoreOptions options)
    {
        var store = new ReplicatedStore(engine, log, transport, options);
        store._host.Start();
        if (store._host.Status.Membership is { Voters: [var only], Learners: [] } && only == store.Id)
        {
            store._firstLeadership.Task.Wait(options.RequestTimeout);
        }

        return store;
    }

    private readonly TaskCompletionSource _firstLeadership = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ulong Id => _options.Raft.Id;

    /// <summary>The Raft view of this member (term, leader, role, indexes, membership).</summary>
    public RaftStatus RaftStatus => _host.Status;

    public bool IsLeader => _host.Status.Role == StateRole.Leader;

    /// <summary>Snapshots received from a leader and installed (tests watch catch-up with it).</summary>
    internal int SnapshotsInstalled { get; private set; }

    /// <summary>Starts an election now instead of after a timeout (tests, to pick a leader).</summary>
    internal void CampaignNow() => _host.Post(node => node.Campaign());

    public async Task<RangeResult> RangeAsync(RangeRequest request, CancellationToken cancellationToken = default)
    {
        TxnValidator.RequireKey(request.Key);
        _state.ThrowIfStopped();
        if (!request.Serializable)
        {
            await ReadBarrierAsync(cancellationToken).ConfigureAwait(false);
        }

        return _state.Range(request);
    }

    public async Task<PutResult> PutAsync(PutRequest request, CancellationToken cancellationToken = default)
    {
        var result = (TxnResult)await SubmitAsync(new TxnCommand(new TxnRequest([], [new TxnPutOp(request)], [])), cancellationToken).ConfigureAwait(false);
        return (PutResult)result.Responses[0];
    }

    public async Task<DeleteRangeResult> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken cancellationToken = default)
    {
        var result = (TxnResult)await SubmitAsync(new TxnCommand(new TxnRequest([], [new TxnDeleteOp(request)], [])), cancellationToken).ConfigureAwait(false);
        return (DeleteRangeResult)result.Responses[0];
    }

    public async Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default)
    {
        // Checked before proposing so that bad requests never reach the log.
        TxnValidator.Validate(request);
        return (TxnResult)await SubmitAsync(new TxnCommand(request), cancellationToken).ConfigureAwait(false);
    }

    public async Task<CompactResult> CompactAsync(long revision, CancellationToken cancellationToken = default) =>
        (CompactResult)await SubmitAsync(new CompactCommand(revision), cancellationToken).ConfigureAwait(false);

    public IWatch Watch(WatchRequest request) => _state.Watch(request);

    public async ValueTask DisposeAsync()
    {
        if (_state.IsStopping)
        {
            return;
        }

        _state.BeginStop();
        _leaseTimer.Dispose();
        await _host.DisposeAsync().ConfigureAwait(false);
        FailAllWaiters(_state.Unavailable());
        await _state.DisposeAsync().ConfigureAwait(false);
    }

    void IRaftApplication.Failed(Exception error)
    {
        _state.Fail(error);
        FailAllWaiters(_state.Unavailable());
    }

    private void FailAllWaiters(Exception error)
    {
        foreach (var proposal in _pending.Values)
        {
            proposal.Completion.TrySetException(error);
        }

        _pending.Clear();
        FailReads(error);
        FailConfChanges(error);
    }
}
