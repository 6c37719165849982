namespace LiteKube.Datastore.Raft;

// Elections: pre-vote, vote, and the candidate's step function.
public sealed partial class RaftNode
{
    private void StartPreElection()
    {
        BecomePreCandidate();
        // Ask for votes in the term we would use, without adopting it yet.
        RequestVotes(MessageType.PreVote, Term + 1, transfer: false);
    }

    private void StartElection(bool transfer)
    {
        BecomeCandidate();
        RequestVotes(MessageType.Vote, Term, transfer);
    }

    private void RequestVotes(MessageType type, ulong term, bool transfer)
    {
        if (Poll(Id, granted: true) == VoteResult.Won)
        {
            // A single voter wins on its own vote.
            OnElectionWon(type);
            return;
        }
        foreach (var id in tracker.Voters)
        {
            if (id == Id)
            {
                continue;
            }
            Send(new Message
            {
                Type = type, From = Id, To = id, Term = term,
                Index = log.LastIndex, LogTerm = log.LastTerm, LeaderTransfer = transfer,
            });
        }
    }

    private void OnElectionWon(MessageType requestType)
    {
        if (requestType == MessageType.PreVote)
        {
            StartElection(transfer: false);
        }
        else
        {
            BecomeLeader();
            BcastAppend();
        }
    }

    private VoteResult Poll(ulong id, bool granted)
    {
        tracker.RecordVote(id, granted);
        return tracker.TallyVotes();
    }

    private void StepCandidate(Message m)
    {
        var myRespType = Role == StateRole.PreCandidate ? MessageType.PreVoteResp : MessageType.VoteResp;
        switch (m.Type)
        {
            case MessageType.Prop:
                // No leader to forward to: the proposal is dropped and the client retries.
                break;
            case MessageType.App:
                // A leader exists in our term (or a later one, already adopted in Step).
                BecomeFollower(m.Term, m.From);
                HandleAppendEntries(m);
                break;
            case MessageType.Heartbeat:
                BecomeFollower(m.Term, m.From);
                HandleHeartbeat(m);
                break;
            case MessageType.Snapshot:
                BecomeFollower(m.Term, m.From);
                HandleSnapshot(m);
                break;
            case MessageType.VoteResp or MessageType.PreVoteResp when m.Type == myRespType:
                switch (Poll(m.From, !m.Reject))
                {
                    case VoteResult.Won:
                        OnElectionWon(Role == StateRole.PreCandidate ? MessageType.PreVote : MessageType.Vote);
                        break;
                    case VoteResult.Lost:
                        // The rejection's term may be ours (pre-vote lost) or newer (already adopted).
                        BecomeFollower(Term, None);
                        break;
                }
                break;
            default:
                // TimeoutNow, stale responses, reads: a candidate has nothing to do with them.
                break;
        }
    }
}
