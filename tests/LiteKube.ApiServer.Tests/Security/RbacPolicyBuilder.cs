using LiteKube.ApiServer.Security;
using LiteKube.ApiServer.Security.Authorization;
using LiteKube.ApiServer.Security.Rbac;

namespace LiteKube.ApiServer.Tests.Security;

/// <summary>Small builders for RBAC policies and requests, so each test states only what matters.</summary>
internal sealed class RbacPolicyBuilder
{
    private readonly List<KeyValuePair<(string, string), IReadOnlyList<PolicyRule>>> _roles = [];
    private readonly List<KeyValuePair<string, IReadOnlyList<PolicyRule>>> _clusterRoles = [];
    private readonly List<RoleBinding> _bindings = [];

    public RbacPolicyBuilder ClusterRole(string name, params PolicyRule[] rules)
    {
        _clusterRoles.Add(KeyValuePair.Create(name, (IReadOnlyList<PolicyRule>)rules));
        return this;
    }

    public RbacPolicyBuilder Role(string ns, string name, params PolicyRule[] rules)
    {
        _roles.Add(KeyValuePair.Create((ns, name), (IReadOnlyList<PolicyRule>)rules));
        return this;
    }

    public RbacPolicyBuilder ClusterRoleBinding(string name, string clusterRole, params RbacSubject[] subjects)
    {
        _bindings.Add(new RoleBinding("", name, new RoleRef(RoleRef.ClusterRoleKind, clusterRole), subjects));
        return this;
    }

    public RbacPolicyBuilder RoleBinding(string ns, string name, RoleRef role, params RbacSubject[] subjects)
    {
        _bindings.Add(new RoleBinding(ns, name, role, subjects));
        return this;
    }

    public RbacPolicy Build() => new(_roles, _clusterRoles, _bindings, 0);

    /// <summary>Rule("get,list", "", "pods") — comma-separated lists, "" is the core group.</summary>
    public static PolicyRule Rule(string verbs, string groups, string resources, string names = "") => new()
    {
        Verbs = verbs.Split(','),
        ApiGroups = groups.Split(','),
        Resources = resources.Split(','),
        ResourceNames = names == "" ? [] : names.Split(','),
    };

    public static PolicyRule UrlRule(string verbs, params string[] urls) => new() { Verbs = verbs.Split(','), NonResourceUrls = urls };

    public static RbacSubject User(string name) => new(RbacSubject.UserKind, name);

    public static RbacSubject Group(string name) => new(RbacSubject.GroupKind, name);

    public static RbacSubject ServiceAccount(string name, string ns = "") => new(RbacSubject.ServiceAccountKind, name, ns);

    public static RoleRef ClusterRoleRef(string name) => new(RoleRef.ClusterRoleKind, name);

    public static RoleRef RoleRefTo(string name) => new(RoleRef.RoleKind, name);

    public static UserInfo Person(string name, params string[] groups) => new(name, [.. groups, SystemGroups.Authenticated]);

    /// <summary>Request("list", "pods", ns: "default") or Request("get", "deployments/scale", group: "apps", name: "web").</summary>
    public static AuthorizationAttributes Request(UserInfo user, string verb, string resource, string ns = "", string group = "", string name = "")
    {
        var parts = resource.Split('/');
        return new AuthorizationAttributes
        {
            User = user,
            Verb = verb,
            IsResourceRequest = true,
            Namespace = ns,
            ApiGroup = group,
            ApiVersion = "v1",
            Resource = parts[0],
            Subresource = parts.Length > 1 ? parts[1] : "",
            Name = name,
        };
    }

    public static AuthorizationAttributes PathRequest(UserInfo user, string verb, string path) =>
        new() { User = user, Verb = verb, Path = path };
}
