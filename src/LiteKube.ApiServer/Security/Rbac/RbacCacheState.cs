using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Security.Rbac;

/// <summary>The RBAC objects a cache has seen, by datastore key; builds policy snapshots.
/// Not thread-safe: owned by the cache's single watch loop.</summary>
internal sealed class RbacCacheState
{
    private readonly Dictionary<string, ((string Namespace, string Name) Id, IReadOnlyList<PolicyRule> Rules)> _roles = [];
    private readonly Dictionary<string, (string Name, IReadOnlyList<PolicyRule> Rules)> _clusterRoles = [];
    private readonly Dictionary<string, RoleBinding> _bindings = [];

    /// <summary>Records the object of resource <paramref name="plural"/> stored under
    /// <paramref name="key"/>; null means deleted. The resource, not the stored kind, decides
    /// what the object is, as for every other read of the store.</summary>
    public void Apply(string plural, string key, JsonObject? obj)
    {
        _roles.Remove(key);
        _clusterRoles.Remove(key);
        _bindings.Remove(key);
        if (obj is null)
        {
            return;
        }

        switch (plural)
        {
            case "roles":
                _roles[key] = (RbacObjects.Identity(obj), RbacObjects.Rules(obj));
                break;
            case "clusterroles":
                _clusterRoles[key] = (RbacObjects.Identity(obj).Name, RbacObjects.Rules(obj));
                break;
            case "clusterrolebindings":
                _bindings[key] = RbacObjects.Binding(obj) with { Namespace = "" };
                break;
            case "rolebindings" when RbacObjects.Identity(obj).Namespace != "":
                _bindings[key] = RbacObjects.Binding(obj);
                break;
        }
    }

    public RbacPolicy Build(long revision) => new(
        _roles.Values.Select(r => KeyValuePair.Create(r.Id, r.Rules)),
        _clusterRoles.Values.Select(r => KeyValuePair.Create(r.Name, r.Rules)),
        _bindings.Values,
        revision);
}
