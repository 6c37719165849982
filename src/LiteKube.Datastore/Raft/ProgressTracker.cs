namespace LiteKube.Datastore.Raft;

/// <summary>
/// The current membership (voters and learners), the leader's progress for every member, and the
/// votes of the current election. Iteration is in id order so that message traces are stable.
/// </summary>
internal sealed class ProgressTracker
{
    private readonly int maxInflight;
    private readonly Dictionary<ulong, bool> votes = [];

    public ProgressTracker(int maxInflight) => this.maxInflight = maxInflight;

    public SortedSet<ulong> Voters { get; } = [];

    public SortedSet<ulong> Learners { get; } = [];

    public SortedDictionary<ulong, Progress> Progress { get; } = [];

    public ConfState ConfState => new(Voters.ToArray(), Learners.ToArray());

    public bool IsSingleVoter(ulong id) => Voters.Count == 1 && Voters.Contains(id);

    public void Reset(ConfState state, ulong lastIndex)
    {
        Voters.Clear();
        Learners.Clear();
        Progress.Clear();
        foreach (var id in state.Voters)
        {
            AddMember(id, isLearner: false, lastIndex);
        }
        foreach (var id in state.Learners)
        {
            AddMember(id, isLearner: true, lastIndex);
        }
    }

    public void AddMember(ulong id, bool isLearner, ulong lastIndex)
    {
        if (!Progress.TryGetValue(id, out var pr))
        {
            // A new member is probed from the leader's last index; rejections walk it back.
            // Counted as active so that check-quorum does not depose the leader before the new member
            // had a chance to answer.
            pr = new Progress(lastIndex + 1, maxInflight, isLearner) { RecentActive = true };
            Progress[id] = pr;
        }
        pr.IsLearner = isLearner;
        (isLearner ? Learners : Voters).Add(id);
        (isLearner ? Voters : Learners).Remove(id);
    }

    public void RemoveMember(ulong id)
    {
        Voters.Remove(id);
        Learners.Remove(id);
        Progress.Remove(id);
    }

    public ulong CommittedIndex() =>
        Quorum.CommittedIndex(Voters, id => Progress.TryGetValue(id, out var pr) ? pr.Match : 0);

    public void ResetVotes() => votes.Clear();

    /// <summary>Records the first vote of <paramref name="id"/> in this election (repeats are ignored).</summary>
    public void RecordVote(ulong id, bool granted) => votes.TryAdd(id, granted);

    public VoteResult TallyVotes() => Quorum.Tally(Voters, votes);

    public (int Granted, int Rejected) VoteCounts() => (votes.Count(v => v.Value), votes.Count(v => !v.Value));

    /// <summary>Check-quorum: have a majority of voters (the leader counts itself) been heard from?</summary>
    public bool QuorumActive(ulong self)
    {
        var active = Voters.Count(id => id == self || (Progress.TryGetValue(id, out var pr) && pr.RecentActive));
        return Voters.Count > 0 && active >= Quorum.Majority(Voters.Count);
    }
}
