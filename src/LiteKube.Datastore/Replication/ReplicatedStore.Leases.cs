using LiteKube.Datastore.Mvcc;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication;

// Leases: grants, revokes and keep-alives are log entries; every member tracks expiry on its own
// clock from when it applied them, and only the leader proposes revokes of expired leases.
public sealed partial class ReplicatedStore
{
    private readonly ITimer _leaseTimer;
    private readonly HashSet<long> _revoking = [];
    private volatile bool _leading;

    public async Task<LeaseGrantResult> LeaseGrantAsync(long id, long ttlSeconds, CancellationToken cancellationToken = default)
    {
        if (id < 0)
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, "etcdserver: lease ID must not be negative");
        }

        // Chosen by the proposer, so that every member applies the same id.
        var chosen = id != 0 ? id : NewLeaseId();
        return (LeaseGrantResult)await SubmitAsync(new LeaseGrantCommand(chosen, ttlSeconds), cancellationToken).ConfigureAwait(false);
    }

    private long NewLeaseId()
    {
        while (true)
        {
            var candidate = Random.Shared.NextInt64(1, long.MaxValue);
            if (!_state.Machine.Leases.Exists(candidate))
            {
                return candidate;
            }
        }
    }

    public async Task<long> LeaseRevokeAsync(long id, CancellationToken cancellationToken = default) =>
        (long)await SubmitAsync(new LeaseRevokeCommand(id), cancellationToken).ConfigureAwait(false);

    public async Task<LeaseKeepAliveResult> LeaseKeepAliveAsync(long id, CancellationToken cancellationToken = default) =>
        (LeaseKeepAliveResult)await SubmitAsync(new LeaseKeepAliveCommand(id), cancellationToken).ConfigureAwait(false);

    // Linearizable like a default range (a ReadIndex barrier first): a member that has not yet
    // applied a grant, keep-alive or revoke the caller saw acknowledged elsewhere must not answer
    // from its stale state. The remaining TTL is still this member's own clock since it applied
    // the lease's last grant or keep-alive, as etcd's followers count it.
    public async Task<LeaseTimeToLiveResult?> LeaseTimeToLiveAsync(long id, bool includeKeys, CancellationToken cancellationToken = default)
    {
        _state.ThrowIfStopped();
        await ReadBarrierAsync(cancellationToken).ConfigureAwait(false);
        return _state.LeaseTimeToLive(id, includeKeys);
    }

    public async Task<LeaseListResult> LeaseListAsync(CancellationToken cancellationToken = default)
    {
        _state.ThrowIfStopped();
        await ReadBarrierAsync(cancellationToken).ConfigureAwait(false);
        return _state.LeaseList();
    }

    /// <summary>Loop thread. A new leader first gives every lease its full TTL (etcd's promote):
    /// the old leader's keep-alives may not have reached it, and no lease may expire early.</summary>
    void IRaftApplication.RoleChanged(SoftState state)
    {
        var leading = state.Role == StateRole.Leader;
        if (leading && !_leading)
        {
            _state.Machine.Leases.RenewAll();
            _ = RecordFoundingMembersAsync();
            _firstLeadership.TrySetResult();
        }

        _leading = leading;
        if (state.Lead != RaftNode.None)
        {
            Interlocked.Exchange(ref _leaderChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        if (_inFlight is { } round)
        {
            // The leader changed: an outstanding read index may never be answered.
            SendRound(round);
        }
    }

    /// <summary>Timer callback (the store's clock): the leader revokes each expired lease once.</summary>
    private void RevokeExpiredLeases()
    {
        if (!_leading)
        {
            return;
        }

        foreach (var id in _state.Machine.Leases.Expired())
        {
            lock (_revoking)
            {
                if (!_revoking.Add(id))
                {
                    continue;
                }
            }

            _ = RevokeExpiredAsync(id);
        }
    }

    private async Task RevokeExpiredAsync(long id)
    {
        try
        {
            await SubmitAsync(new LeaseRevokeCommand(id), CancellationToken.None).ConfigureAwait(false);
        }
        catch (DatastoreException)
        {
            // Already revoked, leadership moved, or stopping: the next leader's timer decides.
        }
        finally
        {
            lock (_revoking)
            {
                _revoking.Remove(id);
            }
        }
    }
}
