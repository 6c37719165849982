using LiteKube.ApiServer.Security.Authorization;

namespace LiteKube.ApiServer.Security.Rbac;

/// <summary>One rule of a Role or ClusterRole (rbac.authorization.k8s.io/v1 PolicyRule).
/// A rule names either resources (with API groups and optional resource names) or
/// non-resource URLs; matching is upstream's, see <see cref="Allows"/>.</summary>
public sealed record PolicyRule
{
    public IReadOnlyList<string> Verbs { get; init; } = [];
    public IReadOnlyList<string> ApiGroups { get; init; } = [];
    /// <summary>"pods", "pods/log", "*", "*/scale".</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];
    public IReadOnlyList<string> ResourceNames { get; init; } = [];
    /// <summary>Exact paths, or a prefix ending in "*"; only meaningful in ClusterRoles.</summary>
    public IReadOnlyList<string> NonResourceUrls { get; init; } = [];

    /// <summary>Upstream's RuleAllows: every dimension of the request must match the rule.</summary>
    public bool Allows(AuthorizationAttributes request)
    {
        if (!VerbMatches(request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return NonResourceUrlMatches(request.Path);
        }

        var combined = request.Subresource == "" ? request.Resource : $"{request.Resource}/{request.Subresource}";
        return ApiGroupMatches(request.ApiGroup)
            && ResourceMatches(combined, request.Subresource)
            && ResourceNameMatches(request.Name);
    }

    private bool VerbMatches(string verb) => Verbs.Any(v => v == "*" || v == verb);

    private bool ApiGroupMatches(string group) => ApiGroups.Any(g => g == "*" || g == group);

    private bool ResourceMatches(string combined, string subresource)
    {
        foreach (var resource in Resources)
        {
            if (resource == "*" || resource == combined)
            {
                return true;
            }

            // "*/scale" grants the scale subresource of every resource, and nothing else.
            if (subresource != "" && resource.Length == subresource.Length + 2
                && resource.StartsWith("*/", StringComparison.Ordinal) && resource.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // An empty list means every name; a list never matches a request without a name (list, create).
    private bool ResourceNameMatches(string name) => ResourceNames.Count == 0 || ResourceNames.Contains(name);

    private bool NonResourceUrlMatches(string path)
    {
        foreach (var url in NonResourceUrls)
        {
            if (url == "*" || url == path)
            {
                return true;
            }

            if (url.EndsWith('*') && path.StartsWith(url[..^1], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
