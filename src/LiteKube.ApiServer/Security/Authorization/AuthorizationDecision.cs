namespace LiteKube.ApiServer.Security.Authorization;

/// <summary>An authorizer's answer. Reason says which grant allowed it ("RBAC: allowed by
/// ...") or, on a denial, what went wrong resolving the rules (a binding to a missing role).
/// RBAC never denies explicitly: a request is allowed or has no rule that allows it.</summary>
public sealed record AuthorizationDecision(bool Allowed, string Reason)
{
    public static readonly AuthorizationDecision AllowedPrivileged = new(true, "");
}
