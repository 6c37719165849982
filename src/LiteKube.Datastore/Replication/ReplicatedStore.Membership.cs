using LiteKube.Datastore.Mvcc;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication;

/// <summary>A member as the membership API lists it. <see cref="Match"/> and <see cref="Lag"/>
/// (entries behind the leader's log) are known on the leader only, else null;
/// <see cref="LastHeard"/> is when this member last got a message from it (on the leader, every
/// live member answers each heartbeat), null if never since it started.</summary>
public sealed record ReplicatedMember(ulong Id, string Name, string PeerAddress, bool IsLearner, bool IsLeader, ulong? Match, ulong? Lag,
    DateTimeOffset? LastHeard = null);

// Membership for issue #5: add a learner, promote it, remove a member, transfer leadership. A
// member's name and address are a log entry of their own (ids stay taken after removal); the Raft
// change is a membership entry. Changes are made on the leader, one at a time.
public sealed partial class ReplicatedStore
{
    // Loop thread only: callers waiting for a membership entry to be applied.
    private readonly Dictionary<ConfChange, TaskCompletionSource> _confWaiters = [];

    /// <summary>The members of the current configuration, voters first.</summary>
    public IReadOnlyList<ReplicatedMember> Members()
    {
        var status = _host.Status;
        var records = _state.Machine.Members().ToDictionary(m => m.Id);
        var last = status.Match.GetValueOrDefault(status.Id);
        ReplicatedMember Describe(ulong id, bool learner)
        {
            var (name, address) = records.TryGetValue(id, out var r) ? (r.Name, r.PeerAddress) : Founding(id);
            ulong? match = status.Match.TryGetValue(id, out var m) ? m : null;
            return new ReplicatedMember(id, name, address, learner, status.Leader == id, match, match is { } x ? last - Math.Min(last, x) : null,
                _host.LastHeardFrom(id));
        }

        return [.. status.Membership.Voters.Select(id => Describe(id, false)), .. status.Membership.Learners.Select(id => Describe(id, true))];
    }

    private (string Name, string Address) Founding(ulong id) =>
        _options.InitialMembers.FirstOrDefault(m => m.Id == id) is { Id: not 0 } f ? (f.Name, f.PeerAddress) : ("", "");

    /// <summary>Adds a learner (it replicates but neither votes nor counts for quorum) and returns
    /// its new id, random and never used before.</summary>
    public async Task<ulong> AddLearnerAsync(string name, string peerAddress, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(peerAddress))
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, "litekube: a member needs a name and a peer address");
        }

        RequireLeader();
        var records = _state.Machine.Members();
        var removed = records.Where(m => m.Removed).Select(m => m.Id).ToHashSet();
        if (records.Any(m => !m.Removed && m.Name == name) || _options.InitialMembers.Any(m => m.Name == name && !removed.Contains(m.Id)))
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, $"litekube: a member named {name} already exists");
        }

        ulong id;
        do
        {
            id = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        }
        while (records.Any(m => m.Id == id) || _options.InitialMembers.Any(m => m.Id == id));

        await SubmitAsync(new MemberUpdateCommand(id, name, peerAddress, Removed: false), cancellationToken).ConfigureAwait(false);
        await ChangeAsync(new ConfChange(ConfChangeType.AddLearner, id), cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Makes a learner a voter. The caller decides when it has caught up (see <see cref="Members"/>).</summary>
    public Task PromoteAsync(ulong id, CancellationToken cancellationToken = default)
    {
        RequireLeader();
        if (!_host.Status.Membership.Learners.Contains(id))
        {
            throw _host.Status.Membership.Voters.Contains(id)
                ? new DatastoreException(DatastoreError.InvalidArgument, $"etcdserver: can only promote a learner member (member {id:x} is a voter)")
                : MemberNotFound(id);
        }

        return ChangeAsync(new ConfChange(ConfChangeType.AddVoter, id), cancellationToken);
    }

    /// <summary>Makes a voter a learner again (it keeps replicating). The last voter cannot be
    /// demoted; a leader that demotes itself steps down.</summary>
    public Task DemoteAsync(ulong id, CancellationToken cancellationToken = default)
    {
        RequireLeader();
        var membership = _host.Status.Membership;
        if (!membership.Voters.Contains(id))
        {
            throw membership.Learners.Contains(id)
                ? new DatastoreException(DatastoreError.InvalidArgument, $"litekube: member {id:x} is already a learner")
                : MemberNotFound(id);
        }

        if (membership.Voters is [_])
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, $"litekube: member {id:x} is the last voter and cannot be demoted");
        }

        return ChangeAsync(new ConfChange(ConfChangeType.AddLearner, id), cancellationToken);
    }

    /// <summary>Removes a member; its id is never used again. The last voter cannot be removed.</summary>
    public async Task RemoveAsync(ulong id, CancellationToken cancellationToken = default)
    {
        RequireLeader();
        var membership = _host.Status.Membership;
        if (!membership.Voters.Contains(id) && !membership.Learners.Contains(id))
        {
            throw MemberNotFound(id);
        }

        if (membership.Voters is [var only] && only == id)
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, $"litekube: member {id:x} is the last voter and cannot be removed");
        }

        var (name, address) = _state.Machine.Members().FirstOrDefault(m => m.Id == id) is { } r ? (r.Name, r.PeerAddress) : Founding(id);
        await ChangeAsync(new ConfChange(ConfChangeType.RemoveNode, id), cancellationToken).ConfigureAwait(false);
        await SubmitAsync(new MemberUpdateCommand(id, name, address, Removed: true), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hands leadership to a voter and waits until it leads.</summary>
    public async Task TransferLeadershipAsync(ulong id, CancellationToken cancellationToken = default)
    {
        RequireLeader();
        if (!_host.Status.Membership.Voters.Contains(id))
        {
            throw _host.Status.Membership.Learners.Contains(id)
                ? new DatastoreException(DatastoreError.InvalidArgument, $"litekube: member {id:x} is a learner and cannot lead")
                : MemberNotFound(id);
        }

        var deadline = _raftTime.GetUtcNow() + _options.RequestTimeout;
        _host.Post(node => node.TransferLeader(id));
        while (_host.Status.Leader != id)
        {
            if (_raftTime.GetUtcNow() >= deadline)
            {
                throw new DatastoreException(DatastoreError.Unavailable, $"litekube: member {id:x} did not take over leadership in time");
            }

            await Task.Delay(_options.Raft.TickInterval, _raftTime, cancellationToken).ConfigureAwait(false);
        }
    }

    private void RequireLeader()
    {
        _state.ThrowIfStopped();
        var status = _host.Status;
        if (status.Role != StateRole.Leader)
        {
            throw new DatastoreException(DatastoreError.Unavailable, status.Leader == 0
                ? "etcdserver: no leader"
                : $"litekube: membership changes are made on the leader (member {status.Leader:x})");
        }
    }

    private static DatastoreException MemberNotFound(ulong id) =>
        new(DatastoreError.InvalidArgument, $"etcdserver: member not found (id {id:x})");

    /// <summary>Proposes a membership change and waits until it is applied here. A change the
    /// leader drops (another one pending, no entry of its term committed yet) never reached the
    /// log, so it is proposed again until the deadline.</summary>
    private async Task ChangeAsync(ConfChange change, CancellationToken cancellationToken)
    {
        var deadline = _raftTime.GetUtcNow() + _options.RequestTimeout;
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            var proposed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _host.Post(node =>
            {
                var ok = node.Role == StateRole.Leader && node.ProposeConfChange(change);
                if (ok)
                {
                    _confWaiters[change] = applied;
                }

                proposed.TrySetResult(ok);
            });
            if (await proposed.Task.WaitAsync(_options.RequestTimeout, _raftTime, cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            if (_raftTime.GetUtcNow() >= deadline)
            {
                throw new DatastoreException(DatastoreError.Unavailable, $"litekube: membership change {change} was not accepted (another change is pending or leadership moved)");
            }

            await Task.Delay(_options.Raft.TickInterval, _raftTime, cancellationToken).ConfigureAwait(false);
        }

        var remaining = deadline - _raftTime.GetUtcNow();
        try
        {
            await applied.Task.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _raftTime, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new DatastoreException(DatastoreError.Unavailable, $"litekube: membership change {change} timed out, possibly due to a leader change");
        }
    }

    /// <summary>Loop thread: a membership entry was applied. The core switches configuration in
    /// Advance, after this call, and the host refreshes its status after that; the waiter is woken
    /// from a posted action so that its caller already sees the new membership in
    /// <see cref="Members"/>.</summary>
    private void ConfChangeApplied(ConfChange change)
    {
        if (_confWaiters.Remove(change, out var waiter) && !_host.Post(_ => waiter.TrySetResult()))
        {
            waiter.TrySetResult(); // stopping: the change is applied all the same
        }
    }

    private void FailConfChanges(Exception error)
    {
        foreach (var waiter in _confWaiters.Values.ToList())
        {
            waiter.TrySetException(error);
        }
    }

    void IRaftApplication.MembershipChanged(ConfState membership) => UpdatePeers(membership);

    /// <summary>Loop thread: points the transport at every member of the configuration.</summary>
    private void UpdatePeers(ConfState? current = null)
    {
        var membership = current ?? _host.Status.Membership;
        var records = _state.Machine.Members().ToDictionary(m => m.Id);
        // The initial members too: a joining member knows no configuration until the leader's
        // snapshot arrives, yet must answer the leader to get it.
        foreach (var id in membership.Voters.Concat(membership.Learners).Concat(_options.InitialMembers.Select(m => m.Id)).Distinct())
        {
            if (id == Id)
            {
                continue;
            }

            var address = records.TryGetValue(id, out var r) ? r.PeerAddress : Founding(id).Address;
            if (address.Length > 0 && r is not { Removed: true })
            {
                _transport.SetPeer(id, address);
            }
        }

        foreach (var removed in records.Values.Where(r => r.Removed))
        {
            _transport.RemovePeer(removed.Id);
        }
    }

    /// <summary>The first leader records the founding members' names and addresses, which the
    /// static bootstrap gave every member but the replicated state does not hold yet.</summary>
    private async Task RecordFoundingMembersAsync()
    {
        try
        {
            var known = _state.Machine.Members().Select(m => m.Id).ToHashSet();
            foreach (var (id, name, address) in _options.InitialMembers.Where(m => !known.Contains(m.Id)))
            {
                await SubmitAsync(new MemberUpdateCommand(id, name, address, Removed: false), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (DatastoreException)
        {
            // Leadership moved or stopping: the next leader does it.
        }
    }
}
