namespace LiteKube.Cluster.Membership;

/// <summary>A control-plane member as the role manager sees it on the leader.</summary>
/// <param name="CaughtUp">Its log is close enough to the leader's to vote without stalling commits.</param>
/// <param name="UnreachableFor">How long the leader has not heard from it (zero when it has just now).</param>
public sealed record PlannedMember(ulong Id, bool Voter, bool Leader, bool CaughtUp, TimeSpan UnreachableFor);

/// <summary>Which single membership change comes next.</summary>
public sealed record VoterChange(VoterChangeKind Kind, ulong Id, string Reason);

public enum VoterChangeKind
{
    Promote,
    Demote,
}

/// <summary>
/// The role manager's decision, pure: how many voters the datastore should have and which one
/// change brings it closer. MicroK8s' rule: one voter while there are fewer than three
/// control-plane nodes (two voters would make either one's failure fatal), three from three on
/// (or <see cref="DesiredVoters"/>, odd), the others standbys that replicate everything. A voter
/// unreachable for <see cref="Grace"/> is replaced by a caught-up standby: promote first, then
/// demote the lost one, so quorum never shrinks in between; an even number of voters lasts one
/// step at most. The lost voter stays a standby: should its machine come back, it catches up and
/// can serve again, instead of having to join anew.
/// </summary>
public sealed record VoterPlanner(int DesiredVoters, TimeSpan Grace)
{
    public static VoterPlanner Default { get; } = new(3, TimeSpan.FromSeconds(30));

    /// <summary>How many voters <paramref name="members"/> control-plane members should have.</summary>
    public int Target(int members)
    {
        if (members < 3)
        {
            return 1;
        }

        var target = Math.Min(DesiredVoters, members);
        return target % 2 == 0 ? target - 1 : target;
    }

    /// <summary>The next change, or null when the membership is as it should be.</summary>
    public VoterChange? Next(IReadOnlyList<PlannedMember> members)
    {
        var voters = members.Where(m => m.Voter).ToList();
        var lost = voters.Where(Lost).OrderByDescending(m => m.UnreachableFor).ToList();
        var ready = members.Where(m => !m.Voter && m.CaughtUp && !Lost(m) && m.UnreachableFor < Grace / 2)
            .OrderBy(m => m.UnreachableFor).ThenBy(m => m.Id).ToList();
        var target = Target(members.Count);

        if (voters.Count > target)
        {
            // Lost voters go first; never the leader (it would have to step down mid-change).
            var demote = lost.FirstOrDefault(m => !m.Leader) ?? voters.Where(m => !m.Leader).OrderBy(m => m.CaughtUp).ThenByDescending(m => m.UnreachableFor).ThenByDescending(m => m.Id).FirstOrDefault();
            return demote is null ? null : new VoterChange(VoterChangeKind.Demote, demote.Id,
                Lost(demote) ? $"unreachable for {demote.UnreachableFor.TotalSeconds:0} s and replaced" : $"{members.Count} control-plane nodes need {target} voter(s)");
        }

        if (ready.Count > 0 && (voters.Count < target || lost.Count > 0))
        {
            return new VoterChange(VoterChangeKind.Promote, ready[0].Id, voters.Count < target
                ? $"{members.Count} control-plane nodes need {target} voters"
                : $"voter {lost[0].Id:x16} has been unreachable for {lost[0].UnreachableFor.TotalSeconds:0} s");
        }

        return null;
    }

    private bool Lost(PlannedMember member) => !member.Leader && member.UnreachableFor >= Grace;
}
