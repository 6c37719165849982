namespace LiteKube.ApiServer.Security.Rbac;

/// <summary>
/// An immutable snapshot of every Role, ClusterRole, RoleBinding and ClusterRoleBinding, and
/// upstream's rule resolution over it (DefaultRuleResolver.VisitRulesFor): first the rules of
/// every ClusterRoleBinding that names the user, then, for a namespaced request, those of the
/// RoleBindings of that namespace. Pure: the cache that builds snapshots does the I/O.
/// </summary>
public sealed class RbacPolicy
{
    public static readonly RbacPolicy Empty = new([], [], [], 0);

    private readonly Dictionary<(string Namespace, string Name), IReadOnlyList<PolicyRule>> _roles;
    private readonly Dictionary<string, IReadOnlyList<PolicyRule>> _clusterRoles;
    private readonly List<RoleBinding> _clusterRoleBindings;
    private readonly Dictionary<string, List<RoleBinding>> _roleBindingsByNamespace;

    /// <param name="roles">Roles (namespace set) and ClusterRoles (namespace "").</param>
    /// <param name="bindings">RoleBindings (namespace set) and ClusterRoleBindings (namespace "").</param>
    /// <param name="clusterRoles">ClusterRoles by name.</param>
    /// <param name="revision">The datastore revision the snapshot reflects (0 when built by hand).</param>
    public RbacPolicy(
        IEnumerable<KeyValuePair<(string Namespace, string Name), IReadOnlyList<PolicyRule>>> roles,
        IEnumerable<KeyValuePair<string, IReadOnlyList<PolicyRule>>> clusterRoles,
        IEnumerable<RoleBinding> bindings,
        long revision)
    {
        _roles = new Dictionary<(string, string), IReadOnlyList<PolicyRule>>(roles);
        _clusterRoles = new Dictionary<string, IReadOnlyList<PolicyRule>>(clusterRoles);
        var all = bindings.ToList();
        _clusterRoleBindings = all.Where(b => b.IsClusterRoleBinding).OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
        _roleBindingsByNamespace = all.Where(b => !b.IsClusterRoleBinding)
            .GroupBy(b => b.Namespace)
            .ToDictionary(g => g.Key, g => g.OrderBy(b => b.Name, StringComparer.Ordinal).ToList());
        Revision = revision;
    }

    public long Revision { get; }

    /// <summary>Calls <paramref name="visitor"/> with each rule that applies to the user in the
    /// namespace, and with each error met resolving them (a binding to a missing role); then
    /// the rule is null. Visiting stops when the visitor returns false.</summary>
    public void VisitRulesFor(UserInfo user, string ns, Func<string, PolicyRule?, string?, bool> visitor)
    {
        foreach (var binding in _clusterRoleBindings)
        {
            if (!VisitBinding(binding, user, visitor))
            {
                return;
            }
        }

        if (ns != "" && _roleBindingsByNamespace.TryGetValue(ns, out var roleBindings))
        {
            foreach (var binding in roleBindings)
            {
                if (!VisitBinding(binding, user, visitor))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Every rule that applies to the user in the namespace, and the resolution errors.</summary>
    public (IReadOnlyList<PolicyRule> Rules, IReadOnlyList<string> Errors) RulesFor(UserInfo user, string ns)
    {
        var rules = new List<PolicyRule>();
        var errors = new List<string>();
        VisitRulesFor(user, ns, (_, rule, error) =>
        {
            if (rule is not null)
            {
                rules.Add(rule);
            }

            if (error is not null)
            {
                errors.Add(error);
            }

            return true;
        });
        return (rules, errors);
    }

    private bool VisitBinding(RoleBinding binding, UserInfo user, Func<string, PolicyRule?, string?, bool> visitor)
    {
        var subject = binding.SubjectFor(user);
        if (subject is null)
        {
            return true;
        }

        var (rules, error) = Resolve(binding);
        if (error is not null)
        {
            return visitor(binding.Describe(subject), null, error);
        }

        var source = binding.Describe(subject);
        foreach (var rule in rules)
        {
            if (!visitor(source, rule, null))
            {
                return false;
            }
        }

        return true;
    }

    private (IReadOnlyList<PolicyRule> Rules, string? Error) Resolve(RoleBinding binding) => RulesOf(binding.RoleRef, binding.Namespace);

    /// <summary>The rules of the role a binding in <paramref name="ns"/> ("" for a
    /// ClusterRoleBinding) refers to, or why they cannot be found.</summary>
    public (IReadOnlyList<PolicyRule> Rules, string? Error) RulesOf(RoleRef role, string ns)
    {
        switch (role.Kind)
        {
            case RoleRef.ClusterRoleKind:
                return _clusterRoles.TryGetValue(role.Name, out var clusterRules)
                    ? (clusterRules, null)
                    : ([], $"clusterrole.rbac.authorization.k8s.io \"{role.Name}\" not found");
            case RoleRef.RoleKind when ns != "":
                return _roles.TryGetValue((ns, role.Name), out var roleRules)
                    ? (roleRules, null)
                    : ([], $"role.rbac.authorization.k8s.io \"{role.Name}\" not found");
            default:
                return ([], $"unsupported role reference kind: \"{role.Kind}\"");
        }
    }
}
