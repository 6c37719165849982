using System.Net;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Security.Rbac;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Security.Authorization;

/// <summary>
/// Upstream's user impersonation (<c>kubectl --as=bob --as-group=devs</c>): the headers
/// Impersonate-User, Impersonate-Group, Impersonate-Uid and Impersonate-Extra-&lt;key&gt;. The
/// caller must be allowed the "impersonate" verb on each thing it asks to be (users, groups,
/// serviceaccounts, and in authentication.k8s.io uids and userextras/&lt;key&gt;); the request
/// then runs as that user. Pure: judged against one policy snapshot.
/// </summary>
public static class Impersonation
{
    private const string UserHeader = "Impersonate-User";
    private const string GroupHeader = "Impersonate-Group";
    private const string UidHeader = "Impersonate-Uid";
    private const string ExtraHeaderPrefix = "Impersonate-Extra-";
    private const string AuthenticationGroup = "authentication.k8s.io";

    public static bool Requested(IHeaderDictionary headers) =>
        headers.ContainsKey(UserHeader) || headers.ContainsKey(GroupHeader) || headers.ContainsKey(UidHeader)
        || headers.Keys.Any(k => k.StartsWith(ExtraHeaderPrefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>The user to act as. Throws 400 for malformed headers, 403 when the caller may
    /// not impersonate what it asks for.</summary>
    public static UserInfo Apply(RbacPolicy policy, UserInfo actor, IHeaderDictionary headers)
    {
        var name = headers[UserHeader].ToString();
        var groups = headers[GroupHeader].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        var uid = headers[UidHeader].ToString();
        var extra = headers.Where(h => h.Key.StartsWith(ExtraHeaderPrefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => Uri.UnescapeDataString(h.Key[ExtraHeaderPrefix.Length..]).ToLowerInvariant(), h => (IReadOnlyList<string>)h.Value.Select(v => v ?? "").ToList());
        if (name == "")
        {
            throw ApiException.BadRequest("impersonating groups, a uid or extra fields needs an Impersonate-User header too");
        }

        var checks = new List<AuthorizationAttributes>();
        if (ServiceAccountUser.TryParse(name, out var saNamespace, out var saName))
        {
            checks.Add(Impersonate(actor, "", "serviceaccounts", saName, saNamespace));
            groups.AddRange(ServiceAccountUser.Groups(saNamespace).Where(g => g != SystemGroups.Authenticated && !groups.Contains(g)));
        }
        else
        {
            checks.Add(Impersonate(actor, "", "users", name));
        }

        checks.AddRange(groups.Select(g => Impersonate(actor, "", "groups", g)));
        if (uid != "")
        {
            checks.Add(Impersonate(actor, AuthenticationGroup, "uids", uid));
        }

        foreach (var (key, values) in extra)
        {
            checks.AddRange(values.Select(v => Impersonate(actor, AuthenticationGroup, "userextras", v) with { Subresource = key }));
        }

        foreach (var check in checks)
        {
            var decision = RequestAuthorizer.Decide(policy, check);
            if (!decision.Allowed)
            {
                throw RequestSecurity.Forbidden(check, decision.Reason);
            }
        }

        // Upstream adds the group every real request of that user would carry.
        var implicitGroup = name == UserInfo.Anonymous.Name ? SystemGroups.Unauthenticated : SystemGroups.Authenticated;
        if (!groups.Contains(implicitGroup))
        {
            groups.Add(implicitGroup);
        }

        return new UserInfo(name, groups) { Uid = uid, Extra = extra };
    }

    private static AuthorizationAttributes Impersonate(UserInfo actor, string group, string resource, string name, string ns = "") => new()
    {
        User = actor,
        Verb = "impersonate",
        IsResourceRequest = true,
        ApiGroup = group,
        Resource = resource,
        Name = name,
        Namespace = ns,
    };
}
