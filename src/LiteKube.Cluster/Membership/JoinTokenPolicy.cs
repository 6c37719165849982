namespace LiteKube.Cluster.Membership;

/// <summary>What a token lets a node become. A worker token cannot make a control-plane node.</summary>
public enum JoinRole
{
    ControlPlane,
    Worker,
}

/// <summary>A stored token: its hash, what it allows, until when, and whether a join that is in
/// progress holds it (<see cref="ReservedUntil"/>): a one-time token is only spent when the join
/// succeeds, and a join that dies holding it releases it when the reservation runs out.</summary>
public sealed record JoinTokenRecord(string Hash, JoinRole Role, DateTimeOffset Expires, bool Reusable, DateTimeOffset? ReservedUntil = null);

public enum JoinTokenVerdict
{
    Accepted,
    Unknown,
    Expired,
    WrongRole,
    InUse,
}

/// <summary>The token rules of issue #5 as a pure decision: which presented token may join as which role now.</summary>
public static class JoinTokenPolicy
{
    public static JoinTokenVerdict Check(JoinTokenRecord? record, JoinRole wanted, DateTimeOffset now)
    {
        if (record is null)
        {
            return JoinTokenVerdict.Unknown;
        }

        if (now >= record.Expires)
        {
            return JoinTokenVerdict.Expired;
        }

        // A control-plane token may also admit a worker (as K3s's server token does); not the reverse.
        if (record.Role == JoinRole.Worker && wanted == JoinRole.ControlPlane)
        {
            return JoinTokenVerdict.WrongRole;
        }

        return !record.Reusable && record.ReservedUntil is { } until && now < until ? JoinTokenVerdict.InUse : JoinTokenVerdict.Accepted;
    }

    /// <summary>The one-line reason a refused join prints.</summary>
    public static string Describe(JoinTokenVerdict verdict) => verdict switch
    {
        JoinTokenVerdict.Accepted => "accepted",
        JoinTokenVerdict.Unknown => "the token is not known to this cluster (already used, removed, or mistyped); run `litekube add-node` for a new one",
        JoinTokenVerdict.Expired => "the token has expired; run `litekube add-node` for a new one",
        JoinTokenVerdict.WrongRole => "the token is for worker nodes and cannot add a control-plane node; run `litekube add-node` without --worker",
        JoinTokenVerdict.InUse => "another node is joining with this one-time token right now; wait for it, or run `litekube add-node` for a new one",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };
}
