using System.Text.Json.Nodes;
using LiteKube.ApiServer.Security.Authorization;

namespace LiteKube.ApiServer.Security.Rbac;

/// <summary>
/// Upstream's RBAC escalation prevention: a user may write a Role or ClusterRole only with
/// rules it already holds (in that namespace), unless it may "escalate" that role; and may
/// bind a role only if it holds all the role's rules, unless it may "bind" that role.
/// system:masters may always. Pure: judged against one policy snapshot.
/// </summary>
public static class EscalationPrevention
{
    public const string Group = "rbac.authorization.k8s.io";

    /// <summary>Null when <paramref name="user"/> may write <paramref name="obj"/> (of resource
    /// <paramref name="plural"/> in <paramref name="ns"/>); otherwise why not, as upstream says it.</summary>
    public static string? Refusal(RbacPolicy policy, UserInfo user, string plural, string ns, JsonObject obj)
    {
        if (user.Groups.Contains(SystemGroups.Masters))
        {
            return null;
        }

        var name = RbacObjects.Identity(obj).Name;
        switch (plural)
        {
            case "roles" or "clusterroles":
                return MayUse(policy, user, "escalate", plural, ns, name) ? null : NotHeld(policy, user, ns, RbacObjects.Rules(obj));
            case "rolebindings" or "clusterrolebindings":
                var roleRef = RbacObjects.Binding(obj).RoleRef;
                var rolePlural = roleRef.Kind == RoleRef.RoleKind ? "roles" : "clusterroles";
                if (MayUse(policy, user, "bind", rolePlural, ns, roleRef.Name))
                {
                    return null;
                }

                var (rules, error) = policy.RulesOf(roleRef, ns);
                return error is not null ? error : NotHeld(policy, user, ns, rules);
            default:
                return null;
        }
    }

    private static bool MayUse(RbacPolicy policy, UserInfo user, string verb, string plural, string ns, string name) =>
        RbacAuthorizer.Authorize(policy, new AuthorizationAttributes
        {
            User = user,
            Verb = verb,
            IsResourceRequest = true,
            ApiGroup = Group,
            Resource = plural,
            Namespace = ns,
            Name = name,
        }).Allowed;

    private static string? NotHeld(RbacPolicy policy, UserInfo user, string ns, IReadOnlyList<PolicyRule> wanted)
    {
        var (held, errors) = policy.RulesFor(user, ns);
        var uncovered = RuleCoverage.Uncovered(held, wanted);
        if (uncovered.Count == 0)
        {
            return null;
        }

        var groups = string.Join(' ', user.Groups.Select(g => $"\"{g}\""));
        var message = $"user \"{user.Name}\" (groups=[{groups}]) is attempting to grant RBAC permissions not currently held:\n"
            + string.Join("\n", RuleCoverage.Compact(uncovered).Select(RuleCoverage.Describe));
        return errors.Count == 0 ? message : $"{message}; resolution errors: {RbacAuthorizer.Aggregate(errors)}";
    }
}
