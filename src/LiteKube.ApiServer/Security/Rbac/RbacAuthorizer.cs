using LiteKube.ApiServer.Security.Authorization;

namespace LiteKube.ApiServer.Security.Rbac;

/// <summary>Upstream's RBAC authorizer as pure functions over an <see cref="RbacPolicy"/>.</summary>
public static class RbacAuthorizer
{
    public static AuthorizationDecision Authorize(RbacPolicy policy, AuthorizationAttributes request)
    {
        string? allowedBy = null;
        var errors = new List<string>();
        policy.VisitRulesFor(request.User, request.Namespace, (source, rule, error) =>
        {
            if (rule is not null && rule.Allows(request))
            {
                allowedBy = source;
                return false;
            }

            if (error is not null)
            {
                errors.Add(error);
            }

            return true;
        });

        if (allowedBy is not null)
        {
            return new AuthorizationDecision(true, $"RBAC: allowed by {allowedBy}");
        }

        return new AuthorizationDecision(false, errors.Count == 0 ? "" : $"RBAC: {Aggregate(errors)}");
    }

    /// <summary>As upstream's utilerrors.Aggregate prints a list of errors.</summary>
    public static string Aggregate(IReadOnlyList<string> errors) =>
        errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]";
}
