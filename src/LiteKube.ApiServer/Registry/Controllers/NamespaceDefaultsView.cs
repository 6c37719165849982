using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Registry.Controllers;

/// <summary>One namespace as the namespace-defaults controllers see it. Active means upstream's
/// phase Active: not being deleted, so content may be created in it.</summary>
public sealed record NamespaceFact(string Name, string Uid, bool Active)
{
    public static NamespaceFact Of(JsonObject ns)
    {
        var metadata = ObjectStore.Metadata(ns);
        var phase = ns["status"]?["phase"]?.ToString();
        return new NamespaceFact(
            metadata["name"]?.ToString() ?? "",
            metadata["uid"]?.ToString() ?? "",
            metadata["deletionTimestamp"] is null && phase is null or "Active");
    }
}

/// <summary>A namespace's <c>kube-root-ca.crt</c> ConfigMap: what the publisher compares.</summary>
public sealed record RootCaMapFact(string Namespace, string Uid, IReadOnlyDictionary<string, string> Data, string? Description)
{
    public static RootCaMapFact Of(JsonObject configMap)
    {
        var metadata = ObjectStore.Metadata(configMap);
        var data = (configMap["data"] as JsonObject ?? [])
            .ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal);
        return new RootCaMapFact(
            metadata["namespace"]?.ToString() ?? "",
            metadata["uid"]?.ToString() ?? "",
            data,
            metadata["annotations"]?[RootCaPublisher.DescriptionAnnotation]?.ToString());
    }
}

/// <summary>
/// The namespace-defaults controllers' view of the world: every namespace, which namespaces hold
/// a <c>default</c> ServiceAccount, and every <c>kube-root-ca.crt</c> ConfigMap. Kept current
/// from the watch caches; it may lag the datastore, so the executor re-reads before it writes.
/// Small on purpose (a few facts per namespace). Not thread-safe: one loop owns it.
/// </summary>
public sealed class NamespaceDefaultsView
{
    private readonly Dictionary<string, NamespaceFact> _namespaces = new(StringComparer.Ordinal);
    private readonly HashSet<string> _defaultServiceAccounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RootCaMapFact> _rootCaMaps = new(StringComparer.Ordinal);

    public IEnumerable<NamespaceFact> Namespaces => _namespaces.Values;

    public bool HasDefaultServiceAccount(string ns) => _defaultServiceAccounts.Contains(ns);

    public RootCaMapFact? RootCaMap(string ns) => _rootCaMaps.GetValueOrDefault(ns);

    /// <summary>Takes in one created, changed or deleted object of a kind the view follows;
    /// objects of other names are ignored.</summary>
    public void Observe(ObservedKind kind, JsonObject obj, bool deleted)
    {
        var metadata = ObjectStore.Metadata(obj);
        var name = metadata["name"]?.ToString() ?? "";
        var ns = metadata["namespace"]?.ToString() ?? "";
        switch (kind)
        {
            case ObservedKind.Namespace when deleted:
                _namespaces.Remove(name);
                break;
            case ObservedKind.Namespace:
                _namespaces[name] = NamespaceFact.Of(obj);
                break;
            case ObservedKind.ServiceAccount when name == ServiceAccountController.DefaultName:
                if (deleted)
                {
                    _defaultServiceAccounts.Remove(ns);
                }
                else
                {
                    _defaultServiceAccounts.Add(ns);
                }

                break;
            case ObservedKind.ConfigMap when name == RootCaPublisher.ConfigMapName:
                if (deleted)
                {
                    _rootCaMaps.Remove(ns);
                }
                else
                {
                    _rootCaMaps[ns] = RootCaMapFact.Of(obj);
                }

                break;
        }
    }

    /// <summary>Replaces everything known of one kind (after a list).</summary>
    public void Reset(ObservedKind kind, IEnumerable<JsonObject> objects)
    {
        switch (kind)
        {
            case ObservedKind.Namespace:
                _namespaces.Clear();
                break;
            case ObservedKind.ServiceAccount:
                _defaultServiceAccounts.Clear();
                break;
            case ObservedKind.ConfigMap:
                _rootCaMaps.Clear();
                break;
        }

        foreach (var obj in objects)
        {
            Observe(kind, obj, deleted: false);
        }
    }
}

/// <summary>The kinds the namespace-defaults controllers follow.</summary>
public enum ObservedKind { Namespace, ServiceAccount, ConfigMap }
