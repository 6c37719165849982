namespace LiteKube.ApiServer.Registry.Controllers;

/// <summary>One step a namespace-defaults controller decided on, in a namespace it saw active
/// (with this uid). The executor checks that the namespace still is, before it writes.</summary>
public abstract record NamespaceDefaultsAction(string Namespace, string NamespaceUid)
{
    /// <summary>Create the ServiceAccount <c>default</c>.</summary>
    public sealed record CreateServiceAccount(string Namespace, string NamespaceUid) : NamespaceDefaultsAction(Namespace, NamespaceUid);

    /// <summary>Create the ConfigMap <c>kube-root-ca.crt</c>.</summary>
    public sealed record CreateRootCaMap(string Namespace, string NamespaceUid) : NamespaceDefaultsAction(Namespace, NamespaceUid);

    /// <summary>Put the CA bundle and the description back into the existing ConfigMap with this uid.</summary>
    public sealed record RestoreRootCaMap(string Namespace, string NamespaceUid, string ConfigMapUid) : NamespaceDefaultsAction(Namespace, NamespaceUid);
}
