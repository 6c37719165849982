using LiteKube.Cluster.Membership;

namespace LiteKube.Cluster.Tests.Membership;

public sealed class JoinTokenPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private static JoinTokenRecord Record(JoinRole role = JoinRole.ControlPlane, bool reusable = false, DateTimeOffset? reservedUntil = null) =>
        new("hash", role, Now.AddHours(1), reusable, reservedUntil);

    [Fact]
    public void A_fresh_token_admits_its_role() =>
        Assert.Equal(JoinTokenVerdict.Accepted, JoinTokenPolicy.Check(Record(), JoinRole.ControlPlane, Now));

    [Fact]
    public void An_unknown_token_is_refused() =>
        Assert.Equal(JoinTokenVerdict.Unknown, JoinTokenPolicy.Check(null, JoinRole.Worker, Now));

    [Fact]
    public void A_token_is_expired_from_its_expiry_on()
    {
        Assert.Equal(JoinTokenVerdict.Accepted, JoinTokenPolicy.Check(Record(), JoinRole.ControlPlane, Now.AddHours(1).AddTicks(-1)));
        Assert.Equal(JoinTokenVerdict.Expired, JoinTokenPolicy.Check(Record(), JoinRole.ControlPlane, Now.AddHours(1)));
    }

    [Fact]
    public void A_worker_token_cannot_make_a_control_plane_node_but_the_reverse_is_fine()
    {
        Assert.Equal(JoinTokenVerdict.WrongRole, JoinTokenPolicy.Check(Record(JoinRole.Worker), JoinRole.ControlPlane, Now));
        Assert.Equal(JoinTokenVerdict.Accepted, JoinTokenPolicy.Check(Record(JoinRole.Worker), JoinRole.Worker, Now));
        Assert.Equal(JoinTokenVerdict.Accepted, JoinTokenPolicy.Check(Record(JoinRole.ControlPlane), JoinRole.Worker, Now));
    }

    [Fact]
    public void A_one_time_token_held_by_a_join_in_progress_is_in_use_until_the_reservation_runs_out()
    {
        var held = Record(reservedUntil: Now.AddSeconds(30));

        Assert.Equal(JoinTokenVerdict.InUse, JoinTokenPolicy.Check(held, JoinRole.ControlPlane, Now));
        Assert.Equal(JoinTokenVerdict.Accepted, JoinTokenPolicy.Check(held, JoinRole.ControlPlane, Now.AddSeconds(30)));
        Assert.Equal(JoinTokenVerdict.Accepted, JoinTokenPolicy.Check(held with { Reusable = true }, JoinRole.ControlPlane, Now));
    }

    [Theory]
    [InlineData(JoinTokenVerdict.Unknown, "add-node")]
    [InlineData(JoinTokenVerdict.Expired, "expired")]
    [InlineData(JoinTokenVerdict.WrongRole, "worker")]
    [InlineData(JoinTokenVerdict.InUse, "joining")]
    public void Every_refusal_has_a_one_line_reason(JoinTokenVerdict verdict, string word)
    {
        var reason = JoinTokenPolicy.Describe(verdict);

        Assert.Contains(word, reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reason);
    }
}
