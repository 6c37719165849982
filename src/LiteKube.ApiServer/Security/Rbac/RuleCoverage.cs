namespace LiteKube.ApiServer.Security.Rbac;

/// <summary>
/// Upstream's rule coverage (pkg/registry/rbac/validation): whether the rules a user holds
/// cover rules the user wants to grant. The wanted rules are broken down to one verb, group,
/// resource (and name, or URL) each; every piece must be covered by some held rule. Pure.
/// </summary>
public static class RuleCoverage
{
    /// <summary>The pieces of <paramref name="wanted"/> that <paramref name="held"/> does not cover (empty: covered).</summary>
    public static IReadOnlyList<PolicyRule> Uncovered(IReadOnlyList<PolicyRule> held, IEnumerable<PolicyRule> wanted) =>
        wanted.SelectMany(Breakdown).Where(piece => !held.Any(owner => Covers(owner, piece))).ToList();

    /// <summary>Upstream's BreakdownRule: one rule per verb x group x resource (x name), and per verb x URL.</summary>
    public static IEnumerable<PolicyRule> Breakdown(PolicyRule rule)
    {
        foreach (var group in rule.ApiGroups)
        {
            foreach (var resource in rule.Resources)
            {
                foreach (var verb in rule.Verbs)
                {
                    if (rule.ResourceNames.Count == 0)
                    {
                        yield return new PolicyRule { ApiGroups = [group], Resources = [resource], Verbs = [verb] };
                        continue;
                    }

                    foreach (var name in rule.ResourceNames)
                    {
                        yield return new PolicyRule { ApiGroups = [group], Resources = [resource], Verbs = [verb], ResourceNames = [name] };
                    }
                }
            }
        }

        foreach (var url in rule.NonResourceUrls)
        {
            foreach (var verb in rule.Verbs)
            {
                yield return new PolicyRule { NonResourceUrls = [url], Verbs = [verb] };
            }
        }
    }

    /// <summary>Upstream's ruleCovers.</summary>
    public static bool Covers(PolicyRule owner, PolicyRule sub)
    {
        var verbs = owner.Verbs.Contains("*") || sub.Verbs.All(owner.Verbs.Contains);
        var groups = owner.ApiGroups.Contains("*") || sub.ApiGroups.All(owner.ApiGroups.Contains);
        var names = sub.ResourceNames.Count == 0
            ? owner.ResourceNames.Count == 0
            : owner.ResourceNames.Count == 0 || sub.ResourceNames.All(owner.ResourceNames.Contains);
        return verbs && groups && names && ResourcesCover(owner.Resources, sub.Resources) && UrlsCover(owner.NonResourceUrls, sub.NonResourceUrls);
    }

    /// <summary>Upstream's PolicyRule.CompactString, used in escalation errors.</summary>
    public static string Describe(PolicyRule rule)
    {
        var parts = new List<string>();
        void Add(string name, IReadOnlyList<string> values)
        {
            if (values.Count > 0)
            {
                parts.Add($"{name}:[{string.Join(' ', values.Select(v => $"\"{v}\""))}]");
            }
        }

        Add("APIGroups", rule.ApiGroups);
        Add("Resources", rule.Resources);
        Add("NonResourceURLs", rule.NonResourceUrls);
        Add("ResourceNames", rule.ResourceNames);
        Add("Verbs", rule.Verbs);
        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>Merges broken-down pieces that differ only in their verb, for a readable error.</summary>
    public static IReadOnlyList<PolicyRule> Compact(IEnumerable<PolicyRule> pieces) =>
        pieces.GroupBy(p => (Group: string.Join(',', p.ApiGroups), Resource: string.Join(',', p.Resources), Url: string.Join(',', p.NonResourceUrls), Names: string.Join(',', p.ResourceNames)))
            .Select(g => g.First() with { Verbs = g.SelectMany(p => p.Verbs).Distinct().ToList() })
            .ToList();

    private static bool ResourcesCover(IReadOnlyList<string> owned, IReadOnlyList<string> wanted)
    {
        if (owned.Contains("*") || wanted.All(owned.Contains))
        {
            return true;
        }

        foreach (var resource in wanted)
        {
            if (owned.Contains(resource))
            {
                continue;
            }

            // "*/scale" covers the scale subresource of every resource.
            var slash = resource.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !owned.Contains("*/" + resource[(slash + 1)..]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool UrlsCover(IReadOnlyList<string> owned, IReadOnlyList<string> wanted) =>
        wanted.All(path => owned.Any(owner => owner == path || (owner.EndsWith('*') && path.StartsWith(owner.TrimEnd('*'), StringComparison.Ordinal))));
}
