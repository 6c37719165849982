namespace LiteKube.Datastore.Raft;

// Linearizable reads (ReadIndex, Raft §6.4) and leadership transfer (§3.10): both ride on the leader's
// heartbeats and acknowledgements.
public sealed partial class RaftNode
{
    private void LeaderReadIndex(Message m)
    {
        if (tracker.IsSingleVoter(Id))
        {
            // No one else can have been elected: our commit index is current.
            RespondToRead(m, log.Committed);
            return;
        }
        if (!CommittedEntryInCurrentTerm)
        {
            // Until our term's first entry commits we may not know the latest commit index: a read
            // served now could miss a write acknowledged by the previous leader. Wait for it.
            pendingReadIndex.Add(m);
            return;
        }
        readOnly.Add(log.Committed, m);
        readOnly.RecvAck(Id, m.Context ?? []);
        BcastHeartbeat();
    }

    private void HandleReadIndexAck(Message m)
    {
        var context = m.Context!;
        var acks = readOnly.RecvAck(m.From, context);
        if (acks.Count(id => tracker.Voters.Contains(id)) < Quorum.Majority(tracker.Voters.Count))
        {
            return;
        }
        foreach (var (index, request) in readOnly.Advance(context))
        {
            RespondToRead(request, index);
        }
    }

    private void RespondToRead(Message request, ulong index)
    {
        if (request.From == Id)
        {
            readStates.Add(new ReadState(index, request.Context ?? []));
        }
        else
        {
            Send(new Message { Type = MessageType.ReadIndexResp, From = Id, To = request.From, Term = Term, Index = index, Context = request.Context });
        }
    }

    private void LeaderTransfer(Message m)
    {
        var transferee = m.From;
        if (!tracker.Voters.Contains(transferee))
        {
            // Learners and strangers cannot lead.
            return;
        }
        if (leadTransferee != None)
        {
            if (leadTransferee == transferee)
            {
                return;
            }
            leadTransferee = None;
        }
        if (transferee == Id)
        {
            return;
        }
        // The transfer must finish within an election timeout (see TickHeartbeat); proposals are
        // dropped meanwhile so the transferee can catch up.
        electionElapsed = 0;
        leadTransferee = transferee;
        var pr = tracker.Progress[transferee];
        if (pr.Match == log.LastIndex)
        {
            SendTimeoutNow(transferee);
        }
        else
        {
            MaybeSendAppend(transferee, sendIfEmpty: true);
        }
    }
}
