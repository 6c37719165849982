namespace LiteKube.Datastore.Raft;

// The leader's step function, its clock, proposals and check-quorum.
public sealed partial class RaftNode
{
    private void TickHeartbeat()
    {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= config.ElectionTick)
        {
            electionElapsed = 0;
            if (!CheckQuorum())
            {
                return;
            }
            if (leadTransferee != None)
            {
                // The transferee did not take over within an election timeout: give up and serve again.
                leadTransferee = None;
            }
        }
        if (heartbeatElapsed >= config.HeartbeatTick)
        {
            heartbeatElapsed = 0;
            BcastHeartbeat();
        }
    }

    /// <summary>Steps down unless a majority of voters was heard from in the last election timeout, so a
    /// leader cut off from the cluster stops serving reads and accepting writes it cannot commit.</summary>
    private bool CheckQuorum()
    {
        if (!tracker.QuorumActive(Id))
        {
            BecomeFollower(Term, None);
            return false;
        }
        foreach (var (id, pr) in tracker.Progress)
        {
            pr.RecentActive = id == Id;
        }
        return true;
    }

    private bool LeaderPropose(Message m)
    {
        if (!tracker.Progress.ContainsKey(Id) || leadTransferee != None)
        {
            // Removed from the membership (about to step down) or handing over leadership.
            return false;
        }
        var first = log.LastIndex + 1;
        var entries = new List<Entry>(m.Entries.Count);
        for (var i = 0; i < m.Entries.Count; i++)
        {
            var e = m.Entries[i];
            var index = first + (ulong)i;
            if (e.Type == EntryType.ConfChange)
            {
                // One membership change at a time: a second one could form a majority disjoint from
                // the first's. Also waits for the leader's first entry of its term to be applied.
                if (pendingConfIndex > log.Applied || !IsValidConfChange(ConfChange.Decode(e.Data)))
                {
                    return false;
                }
                pendingConfIndex = index;
            }
            entries.Add(e with { Term = Term, Index = index });
        }
        log.Append(entries);
        BcastAppend();
        return true;
    }

    private void StepLeader(Message m)
    {
        switch (m.Type)
        {
            case MessageType.Prop:
                LeaderPropose(m);
                return;
            case MessageType.ReadIndex:
                LeaderReadIndex(m);
                return;
            case MessageType.TransferLeader:
                LeaderTransfer(m);
                return;
        }
        if (!tracker.Progress.TryGetValue(m.From, out var pr))
        {
            return;
        }
        switch (m.Type)
        {
            case MessageType.AppResp:
                pr.RecentActive = true;
                if (m.Reject)
                {
                    HandleAppendRejected(m, pr);
                }
                else
                {
                    HandleAppendAccepted(m, pr);
                }
                break;
            case MessageType.HeartbeatResp:
                pr.RecentActive = true;
                pr.ProbeSent = false;
                if (pr.State == ProgressState.Replicate && pr.Inflights.Full)
                {
                    // All appends in the window may have been lost: let one more through, whose
                    // rejection (if the follower is behind) sends the leader back to probing.
                    pr.Inflights.FreeFirstOne();
                }
                if (pr.Match < log.LastIndex || pr.State == ProgressState.Probe)
                {
                    MaybeSendAppend(m.From, sendIfEmpty: true);
                }
                if (m.Context is not null)
                {
                    HandleReadIndexAck(m);
                }
                break;
        }
    }

    private void HandleAppendRejected(Message m, Progress pr)
    {
        var nextProbe = m.RejectHint;
        if (m.LogTerm > 0)
        {
            // The follower's entry at the hint has term LogTerm: everything of ours after our last
            // entry with a term <= LogTerm cannot match either. Skips a term per round trip.
            nextProbe = log.FindConflictByTerm(m.RejectHint, m.LogTerm).Index;
        }
        if (pr.MaybeDecrTo(m.Index, nextProbe))
        {
            if (pr.State == ProgressState.Replicate)
            {
                pr.BecomeProbe();
            }
            MaybeSendAppend(m.From, sendIfEmpty: true);
        }
    }

    private void HandleAppendAccepted(Message m, Progress pr)
    {
        var wasPaused = pr.IsPaused;
        if (!pr.MaybeUpdate(m.Index) && !(pr.Match == m.Index && pr.State == ProgressState.Probe))
        {
            return;
        }
        switch (pr.State)
        {
            case ProgressState.Probe:
                pr.BecomeReplicate();
                break;
            case ProgressState.Snapshot when pr.Match + 1 >= log.FirstIndex:
                // The snapshot (or a log that caught up otherwise) got it past our compaction point.
                pr.BecomeProbe();
                pr.BecomeReplicate();
                break;
            case ProgressState.Replicate:
                pr.Inflights.FreeLE(m.Index);
                break;
        }
        if (MaybeCommit())
        {
            BcastAppend();
        }
        else if (wasPaused)
        {
            // It missed any commit update sent while it was paused: send one now, even if empty.
            MaybeSendAppend(m.From, sendIfEmpty: true);
        }
        // Keep streaming while the window has room (after a probe succeeded there may be a backlog).
        while (MaybeSendAppend(m.From, sendIfEmpty: false))
        {
        }
        if (m.From == leadTransferee && pr.Match == log.LastIndex)
        {
            SendTimeoutNow(m.From);
        }
    }

    /// <summary>Commits what a majority of voters has persisted; on the first commit of our term, releases
    /// reads that were waiting for it.</summary>
    private bool MaybeCommit()
    {
        if (!log.MaybeCommit(tracker.CommittedIndex(), Term))
        {
            return false;
        }
        if (pendingReadIndex.Count > 0 && CommittedEntryInCurrentTerm)
        {
            var waiting = pendingReadIndex.ToList();
            pendingReadIndex.Clear();
            foreach (var r in waiting)
            {
                LeaderReadIndex(r);
            }
        }
        return true;
    }

    private bool CommittedEntryInCurrentTerm => log.TermOrZero(log.Committed) == Term;
}
