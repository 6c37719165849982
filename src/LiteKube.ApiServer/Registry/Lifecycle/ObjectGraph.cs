using System.Text.Json.Nodes;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Registry.Lifecycle;

/// <summary>One ownerReferences entry.</summary>
public sealed record OwnerReference(string ApiVersion, string Kind, string Name, string Uid, bool BlockOwnerDeletion)
{
    public string Group => ApiVersion.Contains('/') ? ApiVersion[..ApiVersion.IndexOf('/')] : "";
}

/// <summary>What the lifecycle reconcilers need to know of one stored object.</summary>
public sealed record GraphNode(
    ResourceDefinition Resource,
    string Namespace,
    string Name,
    string Uid,
    long Revision,
    bool Deleting,
    IReadOnlyList<string> Finalizers,
    IReadOnlyList<string> SpecFinalizers,
    IReadOnlyList<OwnerReference> Owners)
{
    public bool Has(string finalizer) => Finalizers.Contains(finalizer);

    public static GraphNode Of(ResourceDefinition resource, JsonObject obj, long revision)
    {
        var metadata = ObjectStore.Metadata(obj);
        var owners = metadata["ownerReferences"] is JsonArray refs
            ? refs.OfType<JsonObject>().Select(r => new OwnerReference(
                r["apiVersion"]?.ToString() ?? "",
                r["kind"]?.ToString() ?? "",
                r["name"]?.ToString() ?? "",
                r["uid"]?.ToString() ?? "",
                r["blockOwnerDeletion"] is JsonValue b && b.TryGetValue<bool>(out var block) && block)).ToList()
            : [];
        var specFinalizers = obj["spec"]?["finalizers"] is JsonArray list
            ? list.Select(f => f?.ToString() ?? "").ToList()
            : [];
        return new GraphNode(
            resource,
            resource.Namespaced ? metadata["namespace"]?.ToString() ?? "" : "",
            metadata["name"]?.ToString() ?? "",
            metadata["uid"]?.ToString() ?? "",
            revision,
            metadata["deletionTimestamp"] is not null,
            DeletionRules.Finalizers(metadata),
            specFinalizers,
            owners);
    }
}

/// <summary>
/// Every stored object's lifecycle facts, indexed by uid, by owner uid and by namespace: the
/// reconcilers' view of the world, kept current from the watch caches (upstream's garbage
/// collector keeps the same graph). It may lag the datastore; actions taken from it are
/// checked against the datastore before anything is written. Not thread-safe: one loop owns it.
/// </summary>
public sealed class ObjectGraph
{
    private readonly Dictionary<string, GraphNode> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GraphNode> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _dependents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byNamespace = new(StringComparer.Ordinal);

    public int Count => _byKey.Count;

    public IEnumerable<GraphNode> Nodes => _byKey.Values;

    public GraphNode? ByUid(string uid) => _byUid.GetValueOrDefault(uid);

    /// <summary>Objects whose ownerReferences name <paramref name="ownerUid"/>.</summary>
    public IEnumerable<GraphNode> DependentsOf(string ownerUid) =>
        _dependents.TryGetValue(ownerUid, out var keys) ? keys.Select(k => _byKey[k]) : [];

    /// <summary>The namespaced objects stored in <paramref name="ns"/>.</summary>
    public IEnumerable<GraphNode> In(string ns) =>
        _byNamespace.TryGetValue(ns, out var keys) ? keys.Select(k => _byKey[k]) : [];

    public void Put(GraphNode node)
    {
        var key = node.Resource.StorageKey(node.Namespace, node.Name);
        Remove(key);
        _byKey[key] = node;
        _byUid[node.Uid] = node;
        foreach (var owner in node.Owners)
        {
            Index(_dependents, owner.Uid, key);
        }

        if (node.Resource.Namespaced)
        {
            Index(_byNamespace, node.Namespace, key);
        }
    }

    public void Remove(ResourceDefinition resource, string ns, string name) => Remove(resource.StorageKey(ns, name));

    /// <summary>Replaces every object stored under <paramref name="storagePrefix"/> (a relist).</summary>
    public void Reset(string storagePrefix, IEnumerable<GraphNode> nodes)
    {
        foreach (var key in _byKey.Keys.Where(k => k.StartsWith(storagePrefix, StringComparison.Ordinal)).ToList())
        {
            Remove(key);
        }

        foreach (var node in nodes)
        {
            Put(node);
        }
    }

    private void Remove(string key)
    {
        if (!_byKey.Remove(key, out var old))
        {
            return;
        }

        if (_byUid.TryGetValue(old.Uid, out var byUid) && ReferenceEquals(byUid, old))
        {
            _byUid.Remove(old.Uid);
        }

        foreach (var owner in old.Owners)
        {
            Unindex(_dependents, owner.Uid, key);
        }

        if (old.Resource.Namespaced)
        {
            Unindex(_byNamespace, old.Namespace, key);
        }
    }

    private static void Index(Dictionary<string, HashSet<string>> index, string at, string key)
    {
        if (!index.TryGetValue(at, out var set))
        {
            set = new HashSet<string>(StringComparer.Ordinal);
            index[at] = set;
        }

        set.Add(key);
    }

    private static void Unindex(Dictionary<string, HashSet<string>> index, string at, string key)
    {
        if (index.TryGetValue(at, out var set) && set.Remove(key) && set.Count == 0)
        {
            index.Remove(at);
        }
    }
}
