namespace LiteKube.Datastore.Raft;

// Single-server membership changes. A change is an ordinary log entry; every member switches to the
// new membership when it applies that entry (in Advance), so all members pass through the same
// sequence of configurations, each differing from the last by one server.
public sealed partial class RaftNode
{
    // The index of the last conf change (or snapshot) reflected in the tracker; older ones are skipped
    // (a snapshot installed while a Ready was out already contains them).
    private ulong confIndex;

    /// <summary>
    /// Whether <paramref name="change"/> makes sense against the current membership. Checked by the
    /// leader when proposing and again by everyone when applying (where an invalid change is a
    /// no-op), so a change that became invalid in between cannot, say, remove the last voter.
    /// </summary>
    private bool IsValidConfChange(ConfChange change)
    {
        var id = change.NodeId;
        var isVoter = tracker.Voters.Contains(id);
        var isLearner = tracker.Learners.Contains(id);
        return change.Type switch
        {
            _ when id == None => false,
            ConfChangeType.AddVoter => !isVoter,
            // Demoting a voter to learner is allowed, but never the last voter.
            ConfChangeType.AddLearner => !isLearner && !(isVoter && tracker.Voters.Count == 1),
            ConfChangeType.RemoveNode => isLearner || (isVoter && tracker.Voters.Count > 1),
            _ => false,
        };
    }

    private void ApplyConfChange(ConfChange change, ulong index)
    {
        if (index <= confIndex)
        {
            return;
        }
        confIndex = index;
        if (!IsValidConfChange(change))
        {
            return;
        }
        switch (change.Type)
        {
            case ConfChangeType.AddVoter:
                tracker.AddMember(change.NodeId, isLearner: false, log.LastIndex);
                break;
            case ConfChangeType.AddLearner:
                tracker.AddMember(change.NodeId, isLearner: true, log.LastIndex);
                break;
            case ConfChangeType.RemoveNode:
                tracker.RemoveMember(change.NodeId);
                break;
        }
        if (Role != StateRole.Leader)
        {
            return;
        }
        if (!tracker.Voters.Contains(Id))
        {
            // Removed or demoted: a leader that is not a voter must not keep leading. The others
            // elect a new leader after an election timeout (the host may transfer leadership first).
            BecomeFollower(Term, None);
            return;
        }
        if (leadTransferee != None && !tracker.Voters.Contains(leadTransferee))
        {
            leadTransferee = None;
        }
        // The quorum changed: a smaller one may already commit more; new members get probed.
        if (MaybeCommit())
        {
            BcastAppend();
        }
        else
        {
            foreach (var id in tracker.Progress.Keys.ToList())
            {
                if (id != Id)
                {
                    MaybeSendAppend(id, sendIfEmpty: false);
                }
            }
        }
    }
}
