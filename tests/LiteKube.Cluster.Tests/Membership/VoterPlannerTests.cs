using LiteKube.Cluster.Membership;

namespace LiteKube.Cluster.Tests.Membership;

public sealed class VoterPlannerTests
{
    private static readonly VoterPlanner Planner = VoterPlanner.Default;

    private static PlannedMember Voter(ulong id, bool leader = false, double unreachableSeconds = 0) =>
        new(id, Voter: true, leader, CaughtUp: true, TimeSpan.FromSeconds(unreachableSeconds));

    private static PlannedMember Standby(ulong id, bool caughtUp = true, double unreachableSeconds = 0) =>
        new(id, Voter: false, Leader: false, caughtUp, TimeSpan.FromSeconds(unreachableSeconds));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 3)]
    [InlineData(4, 3)]
    [InlineData(7, 3)]
    public void One_voter_below_three_nodes_and_three_from_three_on(int members, int voters) =>
        Assert.Equal(voters, Planner.Target(members));

    [Fact]
    public void Five_voters_when_asked_and_never_an_even_number() =>
        Assert.Equal([1, 1, 3, 3, 5, 5], new[] { 1, 2, 3, 4, 5, 6 }.Select(new VoterPlanner(5, TimeSpan.FromSeconds(30)).Target));

    [Fact]
    public void Two_nodes_keep_one_voter() =>
        Assert.Null(Planner.Next([Voter(1, leader: true), Standby(2)]));

    [Fact]
    public void The_third_node_makes_a_caught_up_standby_a_voter()
    {
        var change = Planner.Next([Voter(1, leader: true), Voter(2), Standby(3)]);
        Assert.Equal(new VoterChange(VoterChangeKind.Promote, 3, "3 control-plane nodes need 3 voters"), change);
    }

    [Fact]
    public void A_standby_still_catching_up_is_not_promoted() =>
        Assert.Null(Planner.Next([Voter(1, leader: true), Standby(2, caughtUp: false), Standby(3, caughtUp: false)]));

    [Fact]
    public void Going_from_one_to_three_voters_takes_the_best_standby_first()
    {
        var change = Planner.Next([Voter(1, leader: true), Standby(3, unreachableSeconds: 1), Standby(2)]);
        Assert.Equal(VoterChangeKind.Promote, change?.Kind);
        Assert.Equal(2ul, change?.Id);
    }

    [Fact]
    public void Shrinking_to_two_nodes_leaves_one_voter_and_never_demotes_the_leader()
    {
        var change = Planner.Next([Voter(1), Voter(2, leader: true)]);
        Assert.Equal(new VoterChange(VoterChangeKind.Demote, 1, "2 control-plane nodes need 1 voter(s)"), change);
    }

    [Fact]
    public void A_voter_lost_for_the_grace_period_is_replaced_by_a_standby_then_demoted()
    {
        var promote = Planner.Next([Voter(1, leader: true), Voter(2), Voter(3, unreachableSeconds: 31), Standby(4)]);
        Assert.Equal(VoterChangeKind.Promote, promote?.Kind);
        Assert.Equal(4ul, promote?.Id);

        var demote = Planner.Next([Voter(1, leader: true), Voter(2), Voter(3, unreachableSeconds: 32), Voter(4)]);
        Assert.Equal(VoterChangeKind.Demote, demote?.Kind);
        Assert.Equal(3ul, demote?.Id);
        Assert.Contains("unreachable", demote!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_voter_within_the_grace_period_is_left_alone() =>
        Assert.Null(Planner.Next([Voter(1, leader: true), Voter(2), Voter(3, unreachableSeconds: 29), Standby(4)]));

    [Fact]
    public void A_lost_voter_without_a_healthy_standby_stays_a_voter() =>
        Assert.Null(Planner.Next([Voter(1, leader: true), Voter(2), Voter(3, unreachableSeconds: 60), Standby(4, unreachableSeconds: 60)]));

    [Fact]
    public void After_a_second_failure_the_remaining_voters_keep_quorum_and_nothing_is_demoted()
    {
        // 4 nodes: 3 was lost and replaced by 4 (now a standby), then 2 is lost: no healthy standby.
        Assert.Null(Planner.Next([Voter(1, leader: true), Voter(2, unreachableSeconds: 40), Standby(3, unreachableSeconds: 120), Voter(4)]));
    }
}
