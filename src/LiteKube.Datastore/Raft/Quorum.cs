namespace LiteKube.Datastore.Raft;

public enum VoteResult
{
    Pending,
    Won,
    Lost,
}

/// <summary>Majority arithmetic over one set of voters. Learners never appear here.</summary>
internal static class Quorum
{
    public static int Majority(int voters) => voters / 2 + 1;

    /// <summary>The largest index that a majority of voters has acknowledged; 0 without voters
    /// (a configuration without voters must never commit anything).</summary>
    public static ulong CommittedIndex(IReadOnlyCollection<ulong> voters, Func<ulong, ulong> acked)
    {
        if (voters.Count == 0)
        {
            return 0;
        }
        var matches = voters.Select(acked).OrderByDescending(m => m).ToArray();
        return matches[Majority(voters.Count) - 1];
    }

    public static VoteResult Tally(IReadOnlyCollection<ulong> voters, IReadOnlyDictionary<ulong, bool> votes)
    {
        int granted = 0, rejected = 0;
        foreach (var id in voters)
        {
            if (votes.TryGetValue(id, out var v))
            {
                if (v) granted++; else rejected++;
            }
        }
        var majority = Majority(voters.Count);
        if (granted >= majority)
        {
            return VoteResult.Won;
        }
        // Lost once the votes still missing cannot reach a majority.
        return voters.Count - rejected < majority ? VoteResult.Lost : VoteResult.Pending;
    }
}
