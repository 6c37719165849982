namespace LiteKube.Datastore.Raft;

// The follower's step function and the handlers a candidate shares when it meets a leader.
public sealed partial class RaftNode
{
    private void StepFollower(Message m)
    {
        switch (m.Type)
        {
            case MessageType.Prop:
            case MessageType.ReadIndex:
                ForwardToLeader(m);
                break;
            case MessageType.App:
                HeardFromLeader(m.From);
                HandleAppendEntries(m);
                break;
            case MessageType.Heartbeat:
                HeardFromLeader(m.From);
                HandleHeartbeat(m);
                break;
            case MessageType.Snapshot:
                HeardFromLeader(m.From);
                HandleSnapshot(m);
                break;
            case MessageType.TransferLeader:
                ForwardToLeader(m);
                break;
            case MessageType.TimeoutNow:
                // Our leader hands over: campaign at once, past pre-vote and the others' leases.
                Hup(transfer: true);
                break;
            case MessageType.ReadIndexResp:
                readStates.Add(new ReadState(m.Index, m.Context ?? []));
                break;
        }
    }

    private void HeardFromLeader(ulong lead)
    {
        electionElapsed = 0;
        Lead = lead;
        if (earlyElections > 0)
        {
            // We had given a leader up (LeaderUnreachable) and now hear one: back to normal timing.
            earlyElections = 0;
            ResetRandomizedElectionTimeout();
        }
    }

    /// <summary>
    /// The transport lost its connection to our leader: a leader killed (kill -9 closes its
    /// sockets at once) or cut off. Rather than wait out a whole election timeout, drop the leader
    /// now — which ends our check-quorum lease, so we grant (pre-)votes to others who lost it too —
    /// and campaign after a short random delay of 1 to ElectionTick/2 ticks.
    /// </summary>
    /// <remarks>
    /// Both followers notice together, and the ticks are coarse (100 ms) against a pre-vote round
    /// (up to ~50 ms on a loaded machine, reconnecting included), so about one failover in ten
    /// both campaign in the same window, both become candidates and split the vote. The retry then
    /// runs on the short timer too, for up to <see cref="EarlyElectionLimit"/> elections, instead
    /// of a whole randomized election timeout (1–2 s): measured, the split runs took 1.6–2.3 s to
    /// fail over, the others 0.2–0.7 s. Hearing from any leader ends the early elections.
    ///
    /// Safety never depends on this: it changes only when we campaign. A wrong report (one flaky
    /// link, the leader alive) costs at most a few failed pre-votes: the other voters still hear from
    /// the leader, so they are in their lease and ignore it, and the leader's next heartbeat brings
    /// us back without any change of term.
    /// </remarks>
    private void LeaderUnreachable()
    {
        Lead = None;
        electionElapsed = 0;
        earlyElections = EarlyElectionLimit;
        ResetRandomizedElectionTimeout();
    }

    /// <summary>How many elections in a row may start early after the leader was lost: enough to
    /// get past a split vote or two, few enough that a member whose link to a live leader broke
    /// soon falls back to normal timing (its pre-votes fail without disturbing anyone meanwhile).</summary>
    private const int EarlyElectionLimit = 3;

    private void HandleAppendEntries(Message m)
    {
        if (m.Index < log.Committed)
        {
            // Everything up to our commit index matches any leader's log: say where we are.
            Send(Reply(m, MessageType.AppResp) with { Index = log.Committed });
            return;
        }
        if (log.MaybeAppend(m.Index, m.LogTerm, m.Commit, m.Entries) is { } lastNew)
        {
            // Sent only after this Ready's entries are on disk: this acknowledges persisted entries.
            Send(Reply(m, MessageType.AppResp) with { Index = lastNew });
            return;
        }
        // Fast back-tracking: tell the leader the last index that can possibly match, skipping every
        // entry of ours whose term is newer than the leader's entry at that position.
        var (hintIndex, hintTerm) = log.FindConflictByTerm(Math.Min(m.Index, log.LastIndex), m.LogTerm);
        Send(Reply(m, MessageType.AppResp) with { Index = m.Index, Reject = true, RejectHint = hintIndex, LogTerm = hintTerm });
    }

    private void HandleHeartbeat(Message m)
    {
        // The leader sends min(our match, its commit), so this never exceeds our matching prefix.
        log.CommitTo(Math.Min(m.Commit, log.LastIndex));
        Send(Reply(m, MessageType.HeartbeatResp) with { Context = m.Context });
    }

    private void HandleSnapshot(Message m)
    {
        var snapshot = m.Snapshot ?? throw new ArgumentException("snapshot message without snapshot", nameof(m));
        if (Restore(snapshot))
        {
            Send(Reply(m, MessageType.AppResp) with { Index = log.LastIndex });
        }
        else
        {
            Send(Reply(m, MessageType.AppResp) with { Index = log.Committed });
        }
    }

    /// <summary>Replaces the log and membership with the snapshot's, unless we already have what it covers.</summary>
    private bool Restore(Snapshot snapshot)
    {
        if (snapshot.Index <= log.Committed)
        {
            return false;
        }
        if (log.MatchTerm(snapshot.Index, snapshot.Term))
        {
            // Our log already has the snapshot's last entry: just fast-forward the commit index.
            log.CommitTo(snapshot.Index);
            return false;
        }
        // Unlike etcd we accept a snapshot that predates our own addition to the membership: a new
        // member is sent whatever snapshot the leader has, and learns of itself from the entries after it.
        log.Restore(snapshot);
        tracker.Reset(snapshot.Metadata.ConfState, log.LastIndex);
        confIndex = snapshot.Index;
        return true;
    }
}
