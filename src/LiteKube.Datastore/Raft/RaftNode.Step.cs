namespace LiteKube.Datastore.Raft;

// Entry points for input and the term rules that apply to every role before the role's own step function.
public sealed partial class RaftNode
{
    /// <summary>Proposes <paramref name="data"/> for the log. False if dropped (no known leader, a leader
    /// transfer in progress, or this member was removed); true means appended or forwarded to the
    /// leader, not committed: the host learns of the commit when the entry comes back to apply.</summary>
    public bool Propose(byte[] data) => ProposeEntry(EntryType.Normal, data);

    /// <summary>Proposes a single-server membership change. On the leader, it is dropped while an
    /// earlier change is not yet applied, or before the leader committed an entry of its term.</summary>
    public bool ProposeConfChange(ConfChange change) => ProposeEntry(EntryType.ConfChange, change.Encode());

    private bool ProposeEntry(EntryType type, byte[] data)
    {
        var m = new Message { Type = MessageType.Prop, From = Id, To = Id, Entries = [new Entry(0, 0, type, data)] };
        return Role == StateRole.Leader ? LeaderPropose(m) : ForwardToLeader(m);
    }

    /// <summary>Requests a linearizable read point; the answer arrives as a <see cref="ReadState"/> with
    /// the same context in a later <see cref="Ready"/>, or never if leadership changes meanwhile (retry).</summary>
    public bool ReadIndex(byte[] context)
    {
        var m = new Message { Type = MessageType.ReadIndex, From = Id, To = Id, Context = context };
        if (Role == StateRole.Leader)
        {
            LeaderReadIndex(m);
            return true;
        }
        return ForwardToLeader(m);
    }

    /// <summary>Asks the leader to hand leadership to <paramref name="transferee"/> (a voter).</summary>
    public void TransferLeader(ulong transferee)
    {
        var m = new Message { Type = MessageType.TransferLeader, From = transferee, To = Id, Term = Term };
        if (Role == StateRole.Leader)
        {
            LeaderTransfer(m);
        }
        else
        {
            ForwardToLeader(m);
        }
    }

    /// <summary>The transport could not reach <paramref name="id"/> (a send failed, the connection
    /// closed). On a leader: stop streaming to it and probe. On a follower whose leader it is: the
    /// leader is lost (see <see cref="LeaderUnreachable"/>).</summary>
    public void ReportUnreachable(ulong id)
    {
        if (Role == StateRole.Leader && tracker.Progress.TryGetValue(id, out var pr) && pr.State == ProgressState.Replicate)
        {
            pr.BecomeProbe();
        }
        else if (Role == StateRole.Follower && id == Lead && id != Id)
        {
            LeaderUnreachable();
        }
    }

    /// <summary>The transport finished (or failed) sending a snapshot to <paramref name="id"/>. Either way
    /// the leader probes again after the next heartbeat response: if the follower installed it, the
    /// probe succeeds at once; if it was lost, the probe leads to a new snapshot.</summary>
    public void ReportSnapshot(ulong id, bool failed)
    {
        if (Role != StateRole.Leader || !tracker.Progress.TryGetValue(id, out var pr) || pr.State != ProgressState.Snapshot)
        {
            return;
        }
        if (failed)
        {
            pr.BecomeProbe();
            pr.Next = pr.Match + 1;
        }
        else
        {
            pr.BecomeProbe();
        }
        pr.ProbeSent = true;
    }

    private bool ForwardToLeader(Message m)
    {
        if (Lead == None)
        {
            return false;
        }
        // Forwarded proposals and reads carry no term: the leader takes them whatever its term. A
        // transfer request keeps its sender field, which names the transferee.
        Send(m.Type == MessageType.TransferLeader ? m with { To = Lead, Term = Term } : m with { To = Lead, From = Id, Term = 0 });
        return true;
    }

    /// <summary>Delivers a message from a peer.</summary>
    public void Step(Message m)
    {
        if (m.To != Id)
        {
            throw new ArgumentException($"message for {m.To} delivered to {Id}", nameof(m));
        }
        if (m.Term == 0)
        {
            // Forwarded proposals and reads: valid whatever the sender's term.
            StepByRole(m);
            return;
        }
        if (m.Term > Term)
        {
            if (m.Type is MessageType.Vote or MessageType.PreVote)
            {
                // Check-quorum lease: while we heard from a live leader within an election timeout,
                // ignore candidates, so a member that was partitioned away cannot depose it.
                var inLease = Lead != None && electionElapsed < config.ElectionTick;
                if (inLease && !m.LeaderTransfer)
                {
                    return;
                }
            }
            if (m.Type == MessageType.PreVote || (m.Type == MessageType.PreVoteResp && !m.Reject))
            {
                // A pre-vote uses a future term without adopting it; a granted pre-vote carries that
                // future term, which the pre-candidate adopts only once it wins.
            }
            else
            {
                var lead = m.Type is MessageType.App or MessageType.Heartbeat or MessageType.Snapshot ? m.From : None;
                BecomeFollower(m.Term, lead);
            }
        }
        else if (m.Term < Term)
        {
            if (m.Type is MessageType.App or MessageType.Heartbeat)
            {
                // A deposed leader (e.g. after a partition) learns the new term from this answer and
                // steps down; without it, check-quorum plus pre-vote could leave it stranded.
                Send(Reply(m, MessageType.AppResp));
            }
            else if (m.Type == MessageType.PreVote)
            {
                Send(Reply(m, MessageType.PreVoteResp) with { Reject = true });
            }
            return;
        }

        if (m.Type is MessageType.Vote or MessageType.PreVote)
        {
            HandleVoteRequest(m);
            return;
        }
        StepByRole(m);
    }

    private void HandleVoteRequest(Message m)
    {
        // We can vote for the same candidate again (a retransmission), for anyone if we have not voted
        // and know no leader in this term, and pre-vote for any future term.
        var canVote = Vote == m.From
            || (Vote == None && Lead == None)
            || (m.Type == MessageType.PreVote && m.Term > Term);
        var respType = m.Type == MessageType.Vote ? MessageType.VoteResp : MessageType.PreVoteResp;
        if (canVote && log.IsUpToDate(m.Index, m.LogTerm))
        {
            // The response carries the request's term so a pre-candidate can tell it from stale ones.
            Send(new Message { Type = respType, From = Id, To = m.From, Term = m.Term });
            if (m.Type == MessageType.Vote)
            {
                electionElapsed = 0;
                Vote = m.From;
            }
        }
        else
        {
            Send(new Message { Type = respType, From = Id, To = m.From, Term = Term, Reject = true });
        }
    }

    private void StepByRole(Message m)
    {
        switch (Role)
        {
            case StateRole.Leader:
                StepLeader(m);
                break;
            case StateRole.Candidate:
            case StateRole.PreCandidate:
                StepCandidate(m);
                break;
            default:
                StepFollower(m);
                break;
        }
    }
}
