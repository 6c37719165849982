namespace LiteKube.ApiServer.Registry.Controllers;

/// <summary>
/// Upstream's root CA certificate publisher (kube-controller-manager's root-ca-cert-publisher)
/// as a pure decision: every active namespace has a ConfigMap <c>kube-root-ca.crt</c> whose data
/// is exactly <c>ca.crt</c> = the cluster CA bundle and which carries the
/// <c>kubernetes.io/description</c> annotation. A missing one is created; one whose data was
/// changed (a key added, removed or edited) or whose description was removed is restored, as
/// upstream does; other labels and annotations are left alone. Nothing happens in a namespace
/// being deleted.
/// </summary>
public static class RootCaPublisher
{
    public const string ConfigMapName = "kube-root-ca.crt";
    public const string DataKey = "ca.crt";
    public const string DescriptionAnnotation = "kubernetes.io/description";

    /// <summary>Upstream's text, word for word: clients may show it.</summary>
    public const string Description =
        "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. "
        + "No other usage is guaranteed across distributions of Kubernetes clusters.";

    public static List<NamespaceDefaultsAction> Decide(NamespaceDefaultsView view, string caBundlePem)
    {
        var actions = new List<NamespaceDefaultsAction>();
        foreach (var ns in view.Namespaces.Where(n => n.Active))
        {
            var map = view.RootCaMap(ns.Name);
            if (map is null)
            {
                actions.Add(new NamespaceDefaultsAction.CreateRootCaMap(ns.Name, ns.Uid));
            }
            else if (!IsCurrent(map, caBundlePem))
            {
                actions.Add(new NamespaceDefaultsAction.RestoreRootCaMap(ns.Name, ns.Uid, map.Uid));
            }
        }

        return actions;
    }

    /// <summary>Upstream's test: the data equals {ca.crt: bundle} and the description is not empty.</summary>
    public static bool IsCurrent(RootCaMapFact map, string caBundlePem) =>
        map.Data.Count == 1
        && map.Data.TryGetValue(DataKey, out var ca) && ca == caBundlePem
        && !string.IsNullOrEmpty(map.Description);
}
