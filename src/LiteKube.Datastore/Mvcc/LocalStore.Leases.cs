namespace LiteKube.Datastore.Mvcc;

public sealed partial class LocalStore
{
    private readonly ITimer _leaseTimer;
    private readonly HashSet<long> _revoking = [];

    public async Task<LeaseGrantResult> LeaseGrantAsync(long id, long ttlSeconds, CancellationToken cancellationToken = default)
    {
        if (id < 0)
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, "etcdserver: lease ID must not be negative");
        }

        // Chosen before the command is applied, so that a replicated log carries the same id to every member.
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

    public Task<LeaseKeepAliveResult> LeaseKeepAliveAsync(long id, CancellationToken cancellationToken = default)
    {
        _state.ThrowIfStopped();
        // Not a command: expiry times live in memory only, so a renewal writes nothing.
        var ttl = _state.Machine.Leases.Renew(id) ?? throw DatastoreException.LeaseNotFound();
        return Task.FromResult(new LeaseKeepAliveResult(_state.PublishedRevision, id, ttl));
    }

    public Task<LeaseTimeToLiveResult?> LeaseTimeToLiveAsync(long id, bool includeKeys, CancellationToken cancellationToken = default) =>
        Task.FromResult(_state.LeaseTimeToLive(id, includeKeys));

    public Task<LeaseListResult> LeaseListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_state.LeaseList());

    /// <summary>Timer callback: revokes each expired lease once (through the writer, like any change).</summary>
    private void RevokeExpiredLeases()
    {
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
            // Already revoked by a client, or the store is stopping: either way nothing to do.
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
