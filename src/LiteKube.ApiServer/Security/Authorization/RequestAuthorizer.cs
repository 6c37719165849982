using LiteKube.ApiServer.Security.Rbac;

namespace LiteKube.ApiServer.Security.Authorization;

/// <summary>
/// The authorizer chain of the API server: members of <c>system:masters</c> are always allowed
/// (upstream's privileged-group authorizer, which RBAC cannot take away), everyone else is
/// judged by RBAC. A denial is re-checked against a snapshot that has caught up with the
/// datastore, so a just-created binding is never missed.
/// </summary>
public sealed class RequestAuthorizer(RbacPolicyCache cache)
{
    public async Task<AuthorizationDecision> AuthorizeAsync(AuthorizationAttributes request, CancellationToken cancellationToken)
    {
        var decision = Decide(await cache.GetAsync(cancellationToken).ConfigureAwait(false), request);
        return decision.Allowed
            ? decision
            : Decide(await cache.GetFreshAsync(cancellationToken).ConfigureAwait(false), request);
    }

    /// <summary>The rules that apply to <paramref name="user"/> in <paramref name="ns"/> and the
    /// errors met resolving them, for SelfSubjectRulesReview.</summary>
    public async Task<(IReadOnlyList<PolicyRule> Rules, IReadOnlyList<string> Errors)> RulesForAsync(UserInfo user, string ns, CancellationToken cancellationToken)
    {
        var policy = await cache.GetFreshAsync(cancellationToken).ConfigureAwait(false);
        return policy.RulesFor(user, ns);
    }

    /// <summary>Pure: the decision for one request under one policy snapshot.</summary>
    public static AuthorizationDecision Decide(RbacPolicy policy, AuthorizationAttributes request) =>
        request.User.Groups.Contains(SystemGroups.Masters)
            ? AuthorizationDecision.AllowedPrivileged
            : RbacAuthorizer.Authorize(policy, request);
}
